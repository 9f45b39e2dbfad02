package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an env change or a rollback made: the new release and the deployment that moves the app to it
 * ({@code deployment} is already complete when the app had no running processes).
 */
public record ReleaseChange(@JsonProperty(required = true) Release release, Deployment deployment) {
}
