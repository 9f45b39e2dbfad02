package dev.pier.api;

import java.util.Map;
import java.util.UUID;

/** {@code POST /apps/{app}/releases}: creates a release; deploying it is a separate step. */
public record NewRelease(
        UUID artifactId,
        Map<String, String> env,
        Map<String, ProcessType> processes,
        Map<String, String> meta,
        String description) {
}
