package dev.pier.api;

import java.util.Map;

/** {@code POST /artifacts}. */
public record NewArtifact(String type, String uri, String sha256, Long size, Map<String, String> meta) {
}
