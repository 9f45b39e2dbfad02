package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** How many jobs of each process type of one release an app wants running. */
public record Formation(
        @JsonProperty(required = true) String app,
        @JsonProperty(required = true) UUID releaseId,
        @JsonProperty(required = true) Map<String, Integer> processes,
        @JsonProperty(required = true) Instant createdAt,
        @JsonProperty(required = true) Instant updatedAt) {
}
