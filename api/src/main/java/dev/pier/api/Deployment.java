package dev.pier.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The move of an app from one release to another: {@code processes} are the counts the new release gets,
 * {@code oldProcesses} the old release's counts when it began (what a failed deployment restores);
 * {@code error} says why a failed one failed; {@code step} what a running one is doing or waiting for now.
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
        String step,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {
}
