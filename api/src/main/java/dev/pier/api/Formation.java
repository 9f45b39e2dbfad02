package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * How many jobs of each process type of one release an app wants running, and the memory limit (MB) of each type's
 * jobs where it is not the scheduler's default ({@code memory_mb}: only the types given one).
 */
public record Formation(
        @JsonProperty(required = true) String app,
        @JsonProperty(required = true) UUID releaseId,
        @JsonProperty(required = true) Map<String, Integer> processes,
        Map<String, Integer> memoryMb,
        @JsonProperty(required = true) Instant createdAt,
        @JsonProperty(required = true) Instant updatedAt) {

    public Formation {
        memoryMb = memoryMb == null ? Map.of() : memoryMb;
    }

    /** A formation with every type at the default memory limit. */
    public Formation(String app, UUID releaseId, Map<String, Integer> processes, Instant createdAt, Instant updatedAt) {
        this(app, releaseId, processes, Map.of(), createdAt, updatedAt);
    }
}
