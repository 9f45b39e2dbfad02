package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One process type of a release (a Procfile line): the shell command, the port it listens on inside
 * its container (null for workers, which listen on nothing) and an optional health check.
 */
public record ProcessType(@JsonProperty(required = true) String command, Integer port, HealthCheck healthCheck) {

    /** The port web processes listen on inside their container (given to them as {@code PORT}). */
    public static final int DEFAULT_WEB_PORT = 8080;

    /** What tells that a job of this type is up, in words: its HTTP check, or a TCP connection on its port. */
    public String checkDescription() {
        if (port == null) {
            return "it to keep running";
        }
        return "its health check (" + (healthCheck == null ? HealthCheck.http(null) : healthCheck).describe(port) + ")";
    }

    public static ProcessType worker(String command) {
        return new ProcessType(command, null, null);
    }

    public static ProcessType web(String command) {
        return new ProcessType(command, DEFAULT_WEB_PORT, null);
    }
}
