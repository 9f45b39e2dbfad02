package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code PUT /deployments/{id}}: the deployment runner moves a deployment along {@link DeploymentStatus}'s
 * table; {@code error} says why a failed one failed; {@code step} says what a running one is doing or waiting
 * for (each change of it is an event, so clients can show the deployment's progress).
 */
public record DeploymentUpdate(@JsonProperty(required = true) DeploymentStatus status, String error, String step) {
    public DeploymentUpdate(DeploymentStatus status, String error) {
        this(status, error, null);
    }
}
