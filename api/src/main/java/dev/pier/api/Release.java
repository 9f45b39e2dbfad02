package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An immutable pairing of an artifact with config vars and process types. {@code version} counts an
 * app's releases from 1 (shown as v1, v2, ... as Heroku does). {@code artifactId} is null for a
 * config-only release made before the first push.
 */
public record Release(
        @JsonProperty(required = true) UUID id,
        @JsonProperty(required = true) String app,
        @JsonProperty(required = true) int version,
        UUID artifactId,
        @JsonProperty(required = true) Map<String, String> env,
        @JsonProperty(required = true) Map<String, ProcessType> processes,
        @JsonProperty(required = true) Map<String, String> meta,
        String description,
        @JsonProperty(required = true) Instant createdAt) {
}
