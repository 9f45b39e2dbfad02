package dev.pier.hostagent.runtime;

import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Layer 0's one seam: runs containers for one host id and sees only the containers labelled with it, so
 * several agents can share an engine. Another backend (processes, Kubernetes) implements the same SPI and
 * runs the same contract tests ({@code ContainerRuntimeContract}).
 */
public interface ContainerRuntime {
    String LABEL_HOST = "pier.host";
    String LABEL_JOB = "pier.job";
    String LABEL_APP = "pier.app";
    String LABEL_RELEASE = "pier.release";
    String LABEL_PROCESS = "pier.process";
    String LABEL_VOLUME = "pier.volume";

    /** The host id whose containers this runtime owns. */
    String hostId();

    /**
     * Creates and starts a container. Throws {@link ContainerRuntimeException} when it cannot (unknown
     * image, command not found, port taken); a container that was created but failed to start is kept, so
     * {@link #inspect} shows it with its error.
     */
    default ContainerInfo start(ContainerSpec spec) {
        create(spec);
        return startCreated(spec.jobId());
    }

    /**
     * Creates a container without starting it (an interactive job waits for its first attach, so the attacher
     * sees all of its output). Throws {@link ContainerRuntimeException} for an unknown image or a bad spec.
     */
    void create(ContainerSpec spec);

    /** Starts a created container; failures as for {@link #start}. */
    ContainerInfo startCreated(String jobId);

    /** SIGTERM, then SIGKILL after {@code grace}; returns once the container has exited. No-op when not running. */
    void stop(String jobId, Duration grace);

    /** Removes the container (killing it if it still runs) and its logs. No-op when absent. */
    void remove(String jobId);

    /** This host's containers, running or not. */
    List<ContainerInfo> list();

    Optional<ContainerInfo> inspect(String jobId);

    /**
     * Streams a container's logs (stdout and stderr, timestamped) to {@code sink}: the last {@code tail} lines
     * ({@code null}: all), then, with {@code follow}, new lines as they come until the container exits or the
     * returned handle is closed. {@code onEnd} runs once when the stream ends.
     */
    Closeable logs(String jobId, Integer tail, boolean follow, Consumer<LogLine> sink, Runnable onEnd);

    /**
     * One reading of a running container's CPU and memory use; empty when it does not run (or is unknown). May take
     * about a second (the engine samples); callers read containers in parallel, off any request path.
     */
    Optional<ContainerStats> stats(String jobId);

    /**
     * Whether the job's running container listens on TCP {@code port} inside its own network, read from its socket
     * tables ({@link PortListeners}); {@link PortListeners.Binding#UNKNOWN} when this runtime cannot tell (the
     * caller then connects instead). No connection is made: the answer holds behind any proxy.
     */
    default PortListeners.Binding binding(String jobId, int port) {
        return PortListeners.Binding.UNKNOWN;
    }

    /** Subscribes to this host's container events until the handle is closed. */
    Closeable events(Consumer<ContainerEvent> listener);

    /**
     * Attaches to a running or created container's stdin and output (for interactive one-off jobs). Output goes to
     * {@code output}; the returned handle writes stdin, resizes the TTY and detaches. Attached before it starts, a
     * container's output is all seen; attached later, what it wrote before is not (it is in {@link #logs}).
     */
    Attachment attach(String jobId, Consumer<byte[]> output, Runnable onEnd);

    /**
     * Creates the named volume of this host with {@code labels}, or returns the one that exists (its labels as they
     * were made). A volume outlives every container that mounts it, and the runtime itself; only
     * {@link #removeVolume} deletes it.
     */
    VolumeInfo createVolume(String name, Map<String, String> labels);

    /** This host's volumes. */
    List<VolumeInfo> volumes();

    /**
     * Deletes a volume and what it holds. No-op when absent; throws {@link ContainerRuntimeException} when a
     * container (running or not) still mounts it.
     */
    void removeVolume(String name);

    /** An attached session to a container. */
    interface Attachment extends Closeable {
        void write(byte[] stdin);

        /** The client's input ended: the job's stdin is closed, so a program reading it sees end of file. */
        void endStdin();

        void resize(int columns, int rows);

        @Override
        void close();
    }
}
