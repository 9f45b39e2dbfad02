package dev.pier.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * How many jobs of each process type of one release an app wants running, and the memory limit (MB) of each type's
 * jobs where it is not the scheduler's default ({@code memory_mb}: only the types given one).
 */
public record Formation(
        String app,
        UUID releaseId,
        Map<String, Integer> processes,
        Map<String, Integer> memoryMb,
        Instant createdAt,
        Instant updatedAt) {

    public Formation {
        memoryMb = memoryMb == null ? Map.of() : memoryMb;
    }

    /** A formation with every type at the default memory limit. */
    public Formation(String app, UUID releaseId, Map<String, Integer> processes, Instant createdAt, Instant updatedAt) {
        this(app, releaseId, processes, Map.of(), createdAt, updatedAt);
    }
}
