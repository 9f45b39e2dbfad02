package dev.pier.api;

/**
 * {@code PUT /deployments/{id}}: the deployment runner moves a deployment along {@link DeploymentStatus}'s
 * table; {@code error} says why a failed one failed.
 */
public record DeploymentUpdate(DeploymentStatus status, String error) {
}
