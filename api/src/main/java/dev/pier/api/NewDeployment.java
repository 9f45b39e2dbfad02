package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/** {@code POST /apps/{app}/deploy}: move the app to {@code releaseId}; strategy defaults to the app's. */
public record NewDeployment(@JsonProperty(required = true) UUID releaseId, DeployStrategy strategy) {
}
