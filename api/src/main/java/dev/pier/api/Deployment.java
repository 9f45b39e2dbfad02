package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The move of an app from one release to another: {@code processes} are the counts the new release gets,
 * {@code oldProcesses} the old release's counts when it began (what a failed deployment restores);
 * {@code error} says why a failed one failed; {@code step} what a running one is doing or waiting for now.
 */
public record Deployment(
        @JsonProperty(required = true) UUID id,
        @JsonProperty(required = true) String app,
        UUID oldReleaseId,
        @JsonProperty(required = true) UUID newReleaseId,
        @JsonProperty(required = true) DeployStrategy strategy,
        @JsonProperty(required = true) DeploymentStatus status,
        @JsonProperty(required = true) Map<String, Integer> processes,
        @JsonProperty(required = true) Map<String, Integer> oldProcesses,
        String error,
        String step,
        @JsonProperty(required = true) Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {
}
