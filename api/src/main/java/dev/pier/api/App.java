package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A named application; {@code releaseId} is its current release, null before the first one. */
public record App(
        @JsonProperty(required = true) UUID id,
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) Map<String, String> meta,
        @JsonProperty(required = true) DeployStrategy strategy,
        @JsonProperty(required = true) int deployTimeout,
        UUID releaseId,
        @JsonProperty(required = true) Instant createdAt,
        @JsonProperty(required = true) Instant updatedAt) {
}
