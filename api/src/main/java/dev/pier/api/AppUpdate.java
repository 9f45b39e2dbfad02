package dev.pier.api;

import java.util.Map;

/** {@code PATCH /apps/{app}}: fields left null are not changed; {@code meta} replaces the whole map. */
public record AppUpdate(Map<String, String> meta, DeployStrategy strategy, Integer deployTimeout) {
}
