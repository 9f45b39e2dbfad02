package dev.pier.api;

import java.util.UUID;

/** {@code POST /apps/{app}/deploy}: move the app to {@code releaseId}; strategy defaults to the app's. */
public record NewDeployment(UUID releaseId, DeployStrategy strategy) {
}
