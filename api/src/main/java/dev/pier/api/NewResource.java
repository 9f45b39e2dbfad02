package dev.pier.api;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /providers/{provider}/resources}: the apps to attach the new resource to (none: attach it later),
 * and the provider-specific {@code config} passed to the provider as it is.
 */
public record NewResource(List<String> apps, Map<String, Object> config) {
    public static NewResource forApp(String app) {
        return new NewResource(app == null ? List.of() : List.of(app), Map.of());
    }
}
