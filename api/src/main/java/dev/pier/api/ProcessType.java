package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One process type of a release (a Procfile line): the shell command, the port it listens on inside
 * its container (null for workers, which listen on nothing) and an optional health check. {@code volumes}: the
 * volumes each job of the type gets for its slot (see docs/volumes.md); {@code hostPort}: when set, every job of
 * the type publishes its {@code port} at exactly this port of its host (for system apps whose address must stay
 * the same across restarts), 1024-65535.
 */
public record ProcessType(@JsonProperty(required = true) String command, Integer port, HealthCheck healthCheck,
                          List<ProcessVolume> volumes, Integer hostPort) {

    /** The port web processes listen on inside their container (given to them as {@code PORT}). */
    public static final int DEFAULT_WEB_PORT = 8080;

    public ProcessType {
        volumes = volumes == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(volumes));
    }

    public ProcessType(String command, Integer port, HealthCheck healthCheck) {
        this(command, port, healthCheck, List.of(), null);
    }

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

    public ProcessType withVolumes(List<ProcessVolume> newVolumes) {
        return new ProcessType(command, port, healthCheck, newVolumes, hostPort);
    }

    public ProcessType withHostPort(Integer newHostPort) {
        return new ProcessType(command, port, healthCheck, volumes, newHostPort);
    }
}
