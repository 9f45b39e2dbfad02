package dev.pier.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** How many jobs of each process type of one release an app wants running. */
public record Formation(
        String app,
        UUID releaseId,
        Map<String, Integer> processes,
        Instant createdAt,
        Instant updatedAt) {
}
