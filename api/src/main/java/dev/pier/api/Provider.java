package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/**
 * A service that provisions resources (a database, a cache) for apps, at {@code url}: {@code http://host:port} or
 * {@code discoverd+http://SERVICE} (a live instance of that discoverd service, looked up at each call). It speaks
 * the provider API of {@code docs/addons.md} ({@link dev.pier.api.provider.ProviderClient}).
 */
public record Provider(
        @JsonProperty(required = true) UUID id,
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) String url,
        String description,
        @JsonProperty(required = true) Instant createdAt) {
}
