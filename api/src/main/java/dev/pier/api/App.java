package dev.pier.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A named application; {@code releaseId} is its current release, null before the first one. */
public record App(
        UUID id,
        String name,
        Map<String, String> meta,
        DeployStrategy strategy,
        int deployTimeout,
        UUID releaseId,
        Instant createdAt,
        Instant updatedAt) {
}
