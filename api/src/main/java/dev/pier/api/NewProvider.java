package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /providers}: a provider's name (as apps are named) and the URL of its API. */
public record NewProvider(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) String url,
        String description) {
}
