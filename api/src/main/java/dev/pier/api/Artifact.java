package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Something runnable and immutable: a slug in the blobstore ({@code type=slug}) or a local Docker image. */
public record Artifact(
        @JsonProperty(required = true) UUID id,
        @JsonProperty(required = true) String type,
        @JsonProperty(required = true) String uri,
        String sha256,
        Long size,
        @JsonProperty(required = true) Map<String, String> meta,
        @JsonProperty(required = true) Instant createdAt) {

    public static final String SLUG = "slug";
    public static final String DOCKER = "docker";
}
