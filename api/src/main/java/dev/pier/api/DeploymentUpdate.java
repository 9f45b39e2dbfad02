package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code PUT /deployments/{id}}: the deployment runner moves a deployment along {@link DeploymentStatus}'s
 * table; {@code error} says why a failed one failed.
 */
public record DeploymentUpdate(@JsonProperty(required = true) DeploymentStatus status, String error) {
}
