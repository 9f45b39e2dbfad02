package dev.pier.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The move of an app from one release to another: {@code processes} are the counts the new release gets,
 * {@code oldProcesses} the old release's counts when it began (what a failed deployment restores);
 * {@code error} says why a failed one failed.
 */
public record Deployment(
        UUID id,
        String app,
        UUID oldReleaseId,
        UUID newReleaseId,
        DeployStrategy strategy,
        DeploymentStatus status,
        Map<String, Integer> processes,
        Map<String, Integer> oldProcesses,
        String error,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {
}
