package dev.pier.api;

import java.util.Map;

/** {@code POST /apps}: a name (generated when null) and optional metadata. */
public record NewApp(String name, Map<String, String> meta) {
    public static NewApp named(String name) {
        return new NewApp(name, null);
    }
}
