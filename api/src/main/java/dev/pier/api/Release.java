package dev.pier.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An immutable pairing of an artifact with config vars and process types. {@code version} counts an
 * app's releases from 1 (shown as v1, v2, ... as Heroku does). {@code artifactId} is null for a
 * config-only release made before the first push.
 */
public record Release(
        UUID id,
        String app,
        int version,
        UUID artifactId,
        Map<String, String> env,
        Map<String, ProcessType> processes,
        Map<String, String> meta,
        String description,
        Instant createdAt) {
}
