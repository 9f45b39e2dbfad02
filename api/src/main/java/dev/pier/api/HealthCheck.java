package dev.pier.api;

import java.time.Duration;
import java.util.Optional;

/**
 * How to tell that a process with a port serves (a release's process type may declare it; without one, a
 * process with a port is checked by a TCP connection being accepted on it). A job is {@code up} only once its
 * check has passed, and is crashed when an up job fails it {@link #FAILURES_TO_CRASH} times in a row.
 *
 * @param path            an HTTP GET of this path (on the job's port) is the check; null: a TCP connection
 * @param status          the HTTP status that passes; null: any 2xx
 * @param intervalSeconds how often an up job is checked; null: the host agent's default (3 s)
 * @param timeoutSeconds  how long one check may take; null: {@link #DEFAULT_TIMEOUT}
 * @param graceSeconds    how long a new job may take to pass its first check; null: the host agent's default (60 s)
 */
public record HealthCheck(String path, Integer status, Integer intervalSeconds, Integer timeoutSeconds,
                          Integer graceSeconds) {
    /** Consecutive failed checks after which an up job is crashed. */
    public static final int FAILURES_TO_CRASH = 3;
    /** One check's time limit when the check sets none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    /** An HTTP check of {@code path} wanting a 2xx, with the agent's defaults. */
    public static HealthCheck http(String path) {
        return new HealthCheck(path, null, null, null, null);
    }

    public HealthCheck withStatus(Integer newStatus) {
        return new HealthCheck(path, newStatus, intervalSeconds, timeoutSeconds, graceSeconds);
    }

    public HealthCheck withGrace(Integer seconds) {
        return new HealthCheck(path, status, intervalSeconds, timeoutSeconds, seconds);
    }

    public HealthCheck withInterval(Integer seconds) {
        return new HealthCheck(path, status, seconds, timeoutSeconds, graceSeconds);
    }

    public HealthCheck withTimeout(Integer seconds) {
        return new HealthCheck(path, status, intervalSeconds, seconds, graceSeconds);
    }

    /** Whether an HTTP answer with this status passes. */
    public boolean passes(int answered) {
        return status == null ? answered >= 200 && answered < 300 : answered == status;
    }

    /** One check's time limit. */
    public Duration timeout() {
        return timeoutSeconds == null ? DEFAULT_TIMEOUT : Duration.ofSeconds(timeoutSeconds);
    }

    /** The check in words, for messages: {@code GET /health on port 8080 answering 200}. */
    public String describe(int port) {
        if (path == null) {
            return "a TCP connection to port " + port;
        }
        return "GET " + path + " on port " + port + " answering " + (status == null ? "2xx" : status.toString());
    }

    /** What is wrong with this check, as (field below {@code health_check}, message); empty when it is valid. */
    public Optional<Problem> problem() {
        if (path != null && (!path.startsWith("/") || path.length() > 1024 || path.chars().anyMatch(c -> c <= ' ' || c == 127))) {
            return Optional.of(new Problem("path", "health check path '" + Names.printable(path)
                    + "' must start with '/' and contain no spaces or control characters"));
        }
        if (status != null && (status < 100 || status > 599)) {
            return Optional.of(new Problem("status", "health check status must be an HTTP status from 100 to 599, not "
                    + status));
        }
        if (status != null && path == null) {
            return Optional.of(new Problem("status", "a health check status needs a path (an HTTP check)"));
        }
        if (intervalSeconds != null && (intervalSeconds < 1 || intervalSeconds > 3600)) {
            return Optional.of(new Problem("interval_seconds", "health check interval must be between 1 and 3600 "
                    + "seconds, not " + intervalSeconds));
        }
        if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > 60)) {
            return Optional.of(new Problem("timeout_seconds", "health check timeout must be between 1 and 60 "
                    + "seconds, not " + timeoutSeconds));
        }
        if (graceSeconds != null && (graceSeconds < 1 || graceSeconds > 3600)) {
            return Optional.of(new Problem("grace_seconds", "health check grace must be between 1 and 3600 seconds, "
                    + "not " + graceSeconds));
        }
        return Optional.empty();
    }

    /** A bad setting: its field (relative to the check) and why. */
    public record Problem(String field, String message) {
    }
}
