package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code POST /artifacts}. */
public record NewArtifact(@JsonProperty(required = true) String type, @JsonProperty(required = true) String uri, String sha256, Long size, Map<String, String> meta) {
}
