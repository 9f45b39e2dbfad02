package dev.pier.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** The move of an app from one release to another; {@code error} says why a failed one failed. */
public record Deployment(
        UUID id,
        String app,
        UUID oldReleaseId,
        UUID newReleaseId,
        DeployStrategy strategy,
        DeploymentStatus status,
        Map<String, Integer> processes,
        String error,
        Instant createdAt,
        Instant finishedAt) {
}
