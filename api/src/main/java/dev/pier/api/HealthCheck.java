package dev.pier.api;

/**
 * How to tell that a process with a port is healthy: an HTTP GET of {@code path} answering 2xx, or,
 * with no path, a TCP connection being accepted. {@code timeoutSeconds} bounds how long a new job may
 * take to become healthy.
 */
public record HealthCheck(String path, Integer timeoutSeconds) {
}
