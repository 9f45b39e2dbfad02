package dev.pier.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Something runnable and immutable: a slug in the blobstore ({@code type=slug}) or a local Docker image. */
public record Artifact(
        UUID id,
        String type,
        String uri,
        String sha256,
        Long size,
        Map<String, String> meta,
        Instant createdAt) {

    public static final String SLUG = "slug";
    public static final String DOCKER = "docker";
}
