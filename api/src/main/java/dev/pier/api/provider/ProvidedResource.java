package dev.pier.api.provider;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A resource as its provider answers it ({@code POST /resources} → 201, {@code GET /resources/{id}} → 200): the
 * provider's id for it and the config vars an app uses it by.
 */
public record ProvidedResource(@JsonProperty(required = true) String id,
                               @JsonProperty(required = true) Map<String, String> env) {
    public ProvidedResource {
        env = env == null ? Map.of() : env;
    }
}
