package dev.pier.api.provider;

import java.util.Map;

/** The provider API's {@code POST /resources} body: provider-specific options, empty by default. */
public record ProvisionRequest(Map<String, Object> config) {
    public ProvisionRequest {
        config = config == null ? Map.of() : config;
    }
}
