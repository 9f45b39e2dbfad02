package dev.pier.hostagent.runtime;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run as one container: the job it belongs to (its identity labels), the image, what to execute,
 * the environment, resource limits, and an optional port published on the runtime's bind address.
 * {@code entrypoint} and {@code command} follow Docker's meaning; empty lists keep the image's own.
 * {@code labels} are extra labels (the runtime adds {@code pier.host} and the identity labels itself).
 * {@code mounts}: this host's named volumes ({@link ContainerRuntime#createVolume}) mounted at paths of the container.
 * {@code alsoPublishOn}: a second address of the host the port is published on too (a fixed port's job address).
 * {@code sandbox}: a network sandbox ({@link Sandboxes#claimPublishing}) that publishes {@code containerPort} on
 * {@code hostPort} already: the container joins its network and publishes nothing itself.
 */
public record ContainerSpec(
        String jobId,
        String app,
        String release,
        String processType,
        String image,
        List<String> entrypoint,
        List<String> command,
        Map<String, String> env,
        Long memoryBytes,
        Double cpus,
        Integer containerPort,
        Integer hostPort,
        boolean tty,
        boolean openStdin,
        Map<String, String> labels,
        List<Mount> mounts,
        String alsoPublishOn,
        String sandbox) {

    /** The volume {@code volume} of the host, mounted at {@code path} (absolute) in the container. */
    public record Mount(String volume, String path) {
    }

    public ContainerSpec(String jobId, String app, String release, String processType, String image,
                         List<String> entrypoint, List<String> command, Map<String, String> env, Long memoryBytes,
                         Double cpus, Integer containerPort, Integer hostPort, boolean tty, boolean openStdin,
                         Map<String, String> labels) {
        this(jobId, app, release, processType, image, entrypoint, command, env, memoryBytes, cpus, containerPort,
                hostPort, tty, openStdin, labels, List.of(), null, null);
    }

    public ContainerSpec(String jobId, String app, String release, String processType, String image,
                         List<String> entrypoint, List<String> command, Map<String, String> env, Long memoryBytes,
                         Double cpus, Integer containerPort, Integer hostPort, boolean tty, boolean openStdin,
                         Map<String, String> labels, List<Mount> mounts, String alsoPublishOn) {
        this(jobId, app, release, processType, image, entrypoint, command, env, memoryBytes, cpus, containerPort,
                hostPort, tty, openStdin, labels, mounts, alsoPublishOn, null);
    }

    /** The same container in {@code name}'s network, which publishes its port already. */
    public ContainerSpec inSandbox(String name) {
        if (containerPort == null) {
            throw new IllegalArgumentException("only a container with a port joins a sandbox that publishes one");
        }
        return new ContainerSpec(jobId, app, release, processType, image, entrypoint, command, env, memoryBytes,
                cpus, containerPort, hostPort, tty, openStdin, labels, mounts, alsoPublishOn, name);
    }

    public ContainerSpec {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(image, "image");
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        if ((containerPort == null) != (hostPort == null)) {
            throw new IllegalArgumentException("containerPort and hostPort go together");
        }
    }

    /** A minimal spec: image and command, no limits, no port. */
    public static ContainerSpec of(String jobId, String image, List<String> command) {
        return new ContainerSpec(jobId, null, null, null, image, List.of(), command, Map.of(), null, null, null,
                null, false, false, Map.of());
    }

    public ContainerSpec withEnv(Map<String, String> newEnv) {
        return new ContainerSpec(jobId, app, release, processType, image, entrypoint, command, newEnv, memoryBytes,
                cpus, containerPort, hostPort, tty, openStdin, labels, mounts, alsoPublishOn, sandbox);
    }

    public ContainerSpec withPort(int inside, int published) {
        return new ContainerSpec(jobId, app, release, processType, image, entrypoint, command, env, memoryBytes,
                cpus, inside, published, tty, openStdin, labels, mounts, alsoPublishOn, sandbox);
    }

    public ContainerSpec withMemory(long bytes) {
        return new ContainerSpec(jobId, app, release, processType, image, entrypoint, command, env, bytes,
                cpus, containerPort, hostPort, tty, openStdin, labels, mounts, alsoPublishOn, sandbox);
    }

    public ContainerSpec withLabels(Map<String, String> newLabels) {
        return new ContainerSpec(jobId, app, release, processType, image, entrypoint, command, env, memoryBytes,
                cpus, containerPort, hostPort, tty, openStdin, newLabels, mounts, alsoPublishOn);
    }

    public ContainerSpec withTty(boolean newTty, boolean newOpenStdin) {
        return new ContainerSpec(jobId, app, release, processType, image, entrypoint, command, env, memoryBytes,
                cpus, containerPort, hostPort, newTty, newOpenStdin, labels, mounts, alsoPublishOn, sandbox);
    }

    public ContainerSpec withMounts(List<Mount> newMounts) {
        return new ContainerSpec(jobId, app, release, processType, image, entrypoint, command, env, memoryBytes,
                cpus, containerPort, hostPort, tty, openStdin, labels, newMounts, alsoPublishOn);
    }

    public ContainerSpec withAlsoPublishOn(String address) {
        return new ContainerSpec(jobId, app, release, processType, image, entrypoint, command, env, memoryBytes,
                cpus, containerPort, hostPort, tty, openStdin, labels, mounts, address);
    }
}
