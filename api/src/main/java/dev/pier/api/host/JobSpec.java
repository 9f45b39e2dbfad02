package dev.pier.api.host;

import dev.pier.api.HealthCheck;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /jobs} on a host agent: run one process of one release as a container. {@code port} is the
 * port the process listens on inside its container (given to it as {@code PORT}); with a port, the agent
 * publishes it on a port of its own range and the job's address is {@code host:thatPort}. {@code entrypoint}
 * and {@code command} override the image's; {@code tty}/{@code interactive} are for one-off jobs that a user
 * attaches to (an interactive job's container starts when its first attach opens). {@code volumes}: named volumes of
 * the host mounted into the container (created when missing, kept after the job). {@code fixedHostPort}: publish
 * {@code port} at exactly this port of the host (on its bind address and its job address) instead of one of its
 * range; null lets the agent pick. {@code memoryMb} and {@code cpus} are limits applied by the container engine. Starting is
 * idempotent on {@code id}: the same id with the same spec gives the same job; with another spec, 409.
 */
public record JobSpec(
        String id,
        String app,
        UUID releaseId,
        String processType,
        String image,
        List<String> entrypoint,
        List<String> command,
        Map<String, String> env,
        Integer memoryMb,
        Double cpus,
        Integer port,
        HealthCheck healthCheck,
        Boolean tty,
        Boolean interactive,
        List<VolumeMount> volumes,
        Integer fixedHostPort) {

    public JobSpec {
        volumes = volumes == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(volumes));
        entrypoint = entrypoint == null ? List.of() : entrypoint;
        command = command == null ? List.of() : command;
        env = env == null ? Map.of() : env;
        tty = tty != null && tty;
        interactive = interactive != null && interactive;
    }

    public JobSpec(String id, String app, UUID releaseId, String processType, String image, List<String> entrypoint,
                   List<String> command, Map<String, String> env, Integer memoryMb, Double cpus, Integer port,
                   HealthCheck healthCheck, Boolean tty, Boolean interactive) {
        this(id, app, releaseId, processType, image, entrypoint, command, env, memoryMb, cpus, port, healthCheck, tty,
                interactive, null, null);
    }

    /** A job running {@code command} with the image's entrypoint and nothing else set. */
    public static JobSpec of(String id, String app, String processType, String image, List<String> command) {
        return new JobSpec(id, app, null, processType, image, null, command, null, null, null, null, null, null, null);
    }

    public JobSpec withPort(Integer newPort) {
        return new JobSpec(id, app, releaseId, processType, image, entrypoint, command, env, memoryMb, cpus, newPort,
                healthCheck, tty, interactive, volumes, fixedHostPort);
    }

    public JobSpec withEnv(Map<String, String> newEnv) {
        return new JobSpec(id, app, releaseId, processType, image, entrypoint, command, newEnv, memoryMb, cpus, port,
                healthCheck, tty, interactive, volumes, fixedHostPort);
    }

    public JobSpec withMemoryMb(Integer newMemoryMb) {
        return new JobSpec(id, app, releaseId, processType, image, entrypoint, command, env, newMemoryMb, cpus, port,
                healthCheck, tty, interactive, volumes, fixedHostPort);
    }

    public JobSpec withHealthCheck(HealthCheck newHealthCheck) {
        return new JobSpec(id, app, releaseId, processType, image, entrypoint, command, env, memoryMb, cpus, port,
                newHealthCheck, tty, interactive, volumes, fixedHostPort);
    }

    public JobSpec withTty(boolean newTty, boolean newInteractive) {
        return new JobSpec(id, app, releaseId, processType, image, entrypoint, command, env, memoryMb, cpus, port,
                healthCheck, newTty, newInteractive, volumes, fixedHostPort);
    }

    public JobSpec withVolumes(List<VolumeMount> newVolumes) {
        return new JobSpec(id, app, releaseId, processType, image, entrypoint, command, env, memoryMb, cpus, port,
                healthCheck, tty, interactive, newVolumes, fixedHostPort);
    }

    public JobSpec withFixedHostPort(Integer newFixedHostPort) {
        return new JobSpec(id, app, releaseId, processType, image, entrypoint, command, env, memoryMb, cpus, port,
                healthCheck, tty, interactive, volumes, newFixedHostPort);
    }
}
