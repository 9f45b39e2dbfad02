package dev.pier.hostagent.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.command.ListVolumesResponse;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ContainerRuntime} over a Docker engine through docker-java (zerodep transport). */
public final class DockerContainerRuntime implements ContainerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(DockerContainerRuntime.class);
    private static final Instant NEVER = Instant.parse("0001-01-01T00:00:00Z");
    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STATS_TIMEOUT = Duration.ofSeconds(10);
    /** The main process of each container {@link #binding} was asked about, until the container is removed. */
    private final Map<String, MainProcess> mainProcesses = new ConcurrentHashMap<>();

    private final DockerClient docker;
    private final URI dockerHost;
    private final String hostId;
    private final String bindAddress;
    private volatile Sandboxes sandboxes = Sandboxes.NONE;

    /** The name every job's container resolves to its host (Docker's host gateway). */
    public static final String HOST_ALIAS = "host.docker.internal";

    /** {@code docker} talks to the engine at {@code dockerHost}, which jobs' stdin is also written to. */
    public DockerContainerRuntime(DockerClient docker, URI dockerHost, String hostId, String bindAddress) {
        this.docker = docker;
        this.dockerHost = dockerHost;
        this.hostId = hostId;
        this.bindAddress = bindAddress;
    }

    /**
     * Where a container without a port starts: in a network sandbox of {@code sandboxes} when one is ready (its
     * network made ahead of time), else with a network of its own.
     */
    public DockerContainerRuntime withSandboxes(Sandboxes sandboxes) {
        this.sandboxes = sandboxes;
        return this;
    }

    /** The label on a job's container naming the network sandbox it joined (the sandbox's container name). */
    public static final String LABEL_SANDBOX = "pier.sandbox";
    /** On a job's container in a sandbox that publishes its port: that host port (the container publishes none). */
    public static final String LABEL_SANDBOX_PORT = "pier.sandbox.port";

    /**
     * The Docker API version spoken: Debian 12's engine (20.10) speaks at most 1.41, and newer engines
     * still accept it.
     */
    public static final String API_VERSION = "1.41";

    /** A client for the engine at {@code dockerHost} (e.g. {@code unix:///var/run/docker.sock}). */
    public static DockerClient client(String dockerHost) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost).withApiVersion(API_VERSION).build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(URI.create(dockerHost))
                .maxConnections(200)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    @Override
    public String hostId() {
        return hostId;
    }

    /** Container names carry the host id, so agents sharing an engine never collide. */
    String containerName(String jobId) {
        return "pier-" + hostId + "-" + jobId;
    }

    @Override
    public void create(ContainerSpec spec) {
        Map<String, String> labels = new HashMap<>(spec.labels());
        labels.put(LABEL_HOST, hostId);
        labels.put(LABEL_JOB, spec.jobId());
        putIfPresent(labels, LABEL_APP, spec.app());
        putIfPresent(labels, LABEL_RELEASE, spec.release());
        putIfPresent(labels, LABEL_PROCESS, spec.processType());
        List<String> env = new ArrayList<>();
        spec.env().forEach((k, v) -> env.add(k + "=" + v));
        // a job without a port joins a network made ahead of time, when one is ready (a sandbox has the host alias);
        // a job with one joins the sandbox the agent claimed for it, which publishes its port already
        boolean published = spec.sandbox() != null;
        String sandbox = published ? spec.sandbox()
                : spec.containerPort() == null ? sandboxes.claim().orElse(null) : null;
        HostConfig host;
        if (sandbox != null) {
            host = HostConfig.newHostConfig().withNetworkMode("container:" + sandbox);
            labels.put(LABEL_SANDBOX, sandbox);
            if (published) {
                labels.put(LABEL_SANDBOX_PORT, String.valueOf(spec.hostPort()));
            }
        } else {
            // jobs reach services on their host (the blobstore, for slugs and builds) as host.docker.internal
            host = HostConfig.newHostConfig().withExtraHosts(HOST_ALIAS + ":host-gateway");
        }
        if (spec.memoryBytes() != null) {
            host.withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes());
        }
        if (spec.cpus() != null) {
            host.withNanoCPUs((long) (spec.cpus() * 1_000_000_000L));
        }
        String name = containerName(spec.jobId());
        try (CreateContainerCmd create = docker.createContainerCmd(spec.image())) {
            create.withName(name).withLabels(labels).withEnv(env).withHostConfig(host)
                    .withTty(spec.tty()).withStdinOpen(spec.openStdin()).withAttachStdin(spec.openStdin())
                    .withStdInOnce(spec.openStdin())
                    .withAttachStdout(true).withAttachStderr(true);
            if (!spec.entrypoint().isEmpty()) {
                create.withEntrypoint(spec.entrypoint());
            }
            if (!spec.command().isEmpty()) {
                create.withCmd(spec.command());
            }
            if (spec.containerPort() != null && !published) {
                ExposedPort port = ExposedPort.tcp(spec.containerPort());
                List<PortBinding> bindings = new ArrayList<>();
                bindings.add(new PortBinding(Ports.Binding.bindIpAndPort(bindAddress, spec.hostPort()), port));
                if (spec.alsoPublishOn() != null && !spec.alsoPublishOn().equals(bindAddress)) {
                    bindings.add(new PortBinding(Ports.Binding.bindIpAndPort(spec.alsoPublishOn(), spec.hostPort()),
                            port));
                }
                host.withPortBindings(bindings);
                create.withExposedPorts(port);
            }
            if (!spec.mounts().isEmpty()) {
                host.withBinds(spec.mounts().stream()
                        .map(m -> new Bind(volumeName(m.volume()), new Volume(m.path()))).toList());
            }
            create.exec();
        } catch (RuntimeException e) {
            if (sandbox != null) {
                sandboxes.release(sandbox);
            }
            throw failure(spec, name, e);
        }
        LOG.info("event=container.created host={} job={} image={} port={}{}", hostId, spec.jobId(), spec.image(),
                spec.hostPort(), sandbox == null ? "" : " sandbox=" + sandbox);
    }

    /** What a failed create means for the job: the engine's exception as the runtime's. */
    private static RuntimeException failure(ContainerSpec spec, String name, RuntimeException e) {
        if (e instanceof NotFoundException) {
            return new ContainerRuntimeException("image '" + spec.image() + "' is not on this host (images are built "
                    + "locally; there is no registry to pull from)", true, e);
        }
        if (e instanceof ConflictException) {
            return new ContainerRuntimeException("a container named " + name + " already exists", false, e);
        }
        if (e instanceof DockerException docker) {
            return new ContainerRuntimeException("cannot create the container: " + engineMessage(docker), false, e);
        }
        return e;
    }

    /** Volume names carry the host id too, as container names do. */
    String volumeName(String name) {
        return "pier-" + hostId + "-" + name;
    }

    @Override
    public VolumeInfo createVolume(String name, Map<String, String> labels) {
        Optional<VolumeInfo> existing = volume(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        Map<String, String> all = new HashMap<>(labels);
        all.put(LABEL_HOST, hostId);
        all.put(LABEL_VOLUME, name);
        try {
            docker.createVolumeCmd().withName(volumeName(name)).withDriver("local").withLabels(all).exec();
        } catch (DockerException e) {
            throw new ContainerRuntimeException("cannot create volume " + name + ": " + engineMessage(e), false, e);
        }
        LOG.info("event=volume.created host={} volume={}", hostId, name);
        return volume(name).orElseThrow(() -> new ContainerRuntimeException("volume " + name
                + " vanished right after it was created", false, null));
    }

    private Optional<VolumeInfo> volume(String name) {
        InspectVolumeResponse response;
        try {
            response = docker.inspectVolumeCmd(volumeName(name)).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        Map<String, String> labels = response.getLabels() == null ? Map.of() : response.getLabels();
        if (!hostId.equals(labels.get(LABEL_HOST)) || !name.equals(labels.get(LABEL_VOLUME))) {
            return Optional.empty();
        }
        return Optional.of(new VolumeInfo(name, labels));
    }

    @Override
    public List<VolumeInfo> volumes() {
        ListVolumesResponse response = docker.listVolumesCmd()
                .withFilter("label", List.of(LABEL_HOST + "=" + hostId)).exec();
        List<VolumeInfo> volumes = new ArrayList<>();
        if (response.getVolumes() != null) {
            for (InspectVolumeResponse volume : response.getVolumes()) {
                Map<String, String> labels = volume.getLabels() == null ? Map.of() : volume.getLabels();
                String name = labels.get(LABEL_VOLUME);
                if (name != null && hostId.equals(labels.get(LABEL_HOST))) {
                    volumes.add(new VolumeInfo(name, labels));
                }
            }
        }
        return volumes;
    }

    @Override
    public void removeVolume(String name) {
        if (volume(name).isEmpty()) {
            return;
        }
        try {
            docker.removeVolumeCmd(volumeName(name)).exec();
        } catch (NotFoundException e) {
            return;
        } catch (ConflictException e) {
            throw new ContainerRuntimeException("volume " + name + " is in use by a container: " + engineMessage(e),
                    false, e);
        } catch (DockerException e) {
            throw new ContainerRuntimeException("cannot remove volume " + name + ": " + engineMessage(e), false, e);
        }
        LOG.info("event=volume.removed host={} volume={}", hostId, name);
    }

    @Override
    public ContainerInfo startCreated(String jobId) {
        String name = containerName(jobId);
        try {
            docker.startContainerCmd(name).exec();
        } catch (DockerException e) {
            String message = engineMessage(e);
            boolean bad = message.contains("executable file not found") || message.contains("no such file")
                    || message.contains("permission denied") || message.contains("not a directory");
            throw new ContainerRuntimeException(bad ? "cannot run the command: " + execFailure(message)
                    : "cannot start the container: " + message, bad, e);
        }
        LOG.info("event=container.started host={} job={}", hostId, jobId);
        return inspect(jobId).orElseThrow(() -> new ContainerRuntimeException(
                "container " + name + " vanished right after it started", false, null));
    }

    private static void putIfPresent(Map<String, String> labels, String key, String value) {
        if (value != null) {
            labels.put(key, value);
        }
    }

    /**
     * What matters of the runtime's message for a command that cannot run: from runc's {@code exec: "x": ...}
     * on, without the layers above it ({@code failed to create shim task: OCI runtime create failed: ...}).
     */
    static String execFailure(String message) {
        int exec = message.indexOf("exec: ");
        String cut = exec >= 0 ? message.substring(exec) : message;
        return cut.endsWith(": unknown") ? cut.substring(0, cut.length() - ": unknown".length()) : cut;
    }

    /** The engine's own message, without docker-java's "Status 500: {...}" wrapping. */
    static String engineMessage(DockerException e) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("\"message\":\"");
        if (at >= 0) {
            int end = message.lastIndexOf("\"}");
            message = message.substring(at + 11, end > at ? end : message.length());
        }
        return message.replace("\\\"", "\"").strip();
    }

    @Override
    public void stop(String jobId, Duration grace) {
        if (inspect(jobId).isEmpty()) {
            return;
        }
        int seconds = (int) Math.max(0, (grace.toMillis() + 999) / 1000);
        try {
            docker.stopContainerCmd(containerName(jobId)).withTimeout(seconds).exec();
        } catch (NotModifiedException | NotFoundException e) {
            // Already stopped or gone.
        }
        try {
            docker.waitContainerCmd(containerName(jobId)).start().awaitStatusCode();
        } catch (NotFoundException e) {
            // Removed meanwhile.
        }
    }

    @Override
    public void remove(String jobId) {
        mainProcesses.remove(jobId);
        Optional<ContainerInfo> container = inspect(jobId);
        if (container.isEmpty()) {
            return;
        }
        try {
            docker.removeContainerCmd(containerName(jobId)).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Already gone.
        }
        String sandbox = container.get().labels().get(LABEL_SANDBOX);
        if (sandbox != null) {
            sandboxes.release(sandbox); // it served this job; the next one gets a fresh network
        }
    }

    @Override
    public List<ContainerInfo> list() {
        List<Container> containers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL_HOST, hostId)).exec();
        List<ContainerInfo> infos = new ArrayList<>();
        for (Container container : containers) {
            String jobId = container.getLabels() == null ? null : container.getLabels().get(LABEL_JOB);
            if (jobId != null) {
                inspect(jobId).ifPresent(infos::add);
            }
        }
        return infos;
    }

    @Override
    public Optional<ContainerInfo> inspect(String jobId) {
        InspectContainerResponse response;
        try {
            response = docker.inspectContainerCmd(containerName(jobId)).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        Map<String, String> labels = response.getConfig().getLabels() == null ? Map.of()
                : response.getConfig().getLabels();
        if (!hostId.equals(labels.get(LABEL_HOST)) || !jobId.equals(labels.get(LABEL_JOB))) {
            return Optional.empty();
        }
        InspectContainerResponse.ContainerState state = response.getState();
        Instant started = instant(state.getStartedAt());
        Instant finished = instant(state.getFinishedAt());
        ContainerInfo.Status status;
        if (Boolean.TRUE.equals(state.getRunning())) {
            status = ContainerInfo.Status.RUNNING;
        } else if (started == null) {
            status = ContainerInfo.Status.CREATED;
        } else {
            status = ContainerInfo.Status.EXITED;
        }
        Integer exit = status == ContainerInfo.Status.EXITED && state.getExitCodeLong() != null
                ? state.getExitCodeLong().intValue() : null;
        String error = state.getError() == null || state.getError().isBlank() ? null : state.getError();
        return Optional.of(new ContainerInfo(jobId, response.getId(), response.getConfig().getImage(), status, exit,
                Boolean.TRUE.equals(state.getOOMKilled()), error, started, finished, hostPort(response, labels), labels));
    }

    /**
     * Reads the socket tables of the container's network from its main process ({@code /proc/PID/net/tcp} and
     * {@code tcp6}, with the PID the engine gives, remembered for the next call). The process is confirmed to be the
     * container's each time (its {@code /proc/PID/cgroup} names the container's id), so an agent that does not share
     * the engine's PID namespace, or a PID reused since, answers {@link PortListeners.Binding#UNKNOWN} (or asks the
     * engine again), never with another process's table.
     */
    @Override
    public PortListeners.Binding binding(String jobId, int port) {
        MainProcess main = mainProcesses.get(jobId);
        if (main == null || !main.isOf()) {
            mainProcesses.remove(jobId);
            main = mainProcess(jobId);
            if (main == null || !main.isOf()) {
                return PortListeners.Binding.UNKNOWN;
            }
            mainProcesses.put(jobId, main);
        }
        try {
            return PortListeners.binding(port, Files.readString(main.proc().resolve("net/tcp")),
                    readIfPresent(main.proc().resolve("net/tcp6")));
        } catch (IOException e) {
            mainProcesses.remove(jobId);
            return PortListeners.Binding.UNKNOWN; // the process ended meanwhile
        }
    }

    /** A running container's main process as the engine names it; null when it does not run or cannot be asked. */
    private MainProcess mainProcess(String jobId) {
        try {
            InspectContainerResponse response = docker.inspectContainerCmd(containerName(jobId)).exec();
            Long pid = response.getState() == null ? null : response.getState().getPidLong();
            return pid == null || pid <= 0 || response.getId() == null ? null
                    : new MainProcess(Path.of("/proc", Long.toString(pid)), response.getId());
        } catch (RuntimeException e) { // not found, or the engine did not answer: the caller connects instead
            return null;
        }
    }

    /** A container's main process, by its {@code /proc} directory. */
    private record MainProcess(Path proc, String containerId) {
        /** Whether the process still is the container's (its cgroup names the container). */
        boolean isOf() {
            try {
                return Files.readString(proc.resolve("cgroup")).contains(containerId);
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static String readIfPresent(Path path) throws IOException {
        return Files.exists(path) ? Files.readString(path) : "";
    }

    /** One {@code GET /containers/{id}/stats?stream=false} (the engine samples for about a second). */
    @Override
    public Optional<ContainerStats> stats(String jobId) {
        Statistics[] got = new Statistics[1];
        try (ResultCallback.Adapter<Statistics> callback = docker.statsCmd(containerName(jobId)).withNoStream(true)
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Statistics statistics) {
                        got[0] = statistics;
                    }
                })) {
            if (!callback.awaitCompletion(STATS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debug("event=stats_failed job={} error=\"{}\"", jobId, e.getMessage());
            return Optional.empty();
        }
        return statsOf(got[0]);
    }

    /** CPU and memory as {@code docker stats} counts them; empty for a container that does not run. */
    static Optional<ContainerStats> statsOf(Statistics s) {
        if (s == null || s.getCpuStats() == null || s.getCpuStats().getCpuUsage() == null
                || s.getCpuStats().getCpuUsage().getTotalUsage() == null || s.getMemoryStats() == null
                || s.getMemoryStats().getUsage() == null) {
            return Optional.empty(); // an exited container answers with empty figures
        }
        long usage = s.getMemoryStats().getUsage();
        // like the docker CLI: the page cache the kernel can drop does not count (cgroup v1: total_inactive_file,
        // cgroup v2: inactive_file)
        StatsConfig detail = s.getMemoryStats().getStats();
        Long inactive = detail == null ? null
                : detail.getTotalInactiveFile() != null ? detail.getTotalInactiveFile() : detail.getInactiveFile();
        long memory = inactive != null && inactive < usage ? usage - inactive : usage;
        Long limit = s.getMemoryStats().getLimit();
        // an unlimited container reports the host's memory (or a huge number) as its limit
        long limitBytes = limit == null || limit <= 0 || limit >= Long.MAX_VALUE / 2 ? 0 : limit;
        return Optional.of(new ContainerStats(s.getCpuStats().getCpuUsage().getTotalUsage(), memory, limitBytes));
    }

    /** The host port the container publishes, or its sandbox publishes for it. */
    private static Integer hostPort(InspectContainerResponse response, Map<String, String> labels) {
        String bySandbox = labels.get(LABEL_SANDBOX_PORT);
        if (bySandbox != null && bySandbox.matches("[0-9]{1,5}")) {
            return Integer.parseInt(bySandbox);
        }
        HostConfig host = response.getHostConfig();
        if (host == null || host.getPortBindings() == null) {
            return null;
        }
        for (Map.Entry<ExposedPort, Ports.Binding[]> entry : host.getPortBindings().getBindings().entrySet()) {
            if (entry.getValue() != null) {
                for (Ports.Binding binding : entry.getValue()) {
                    if (binding.getHostPortSpec() != null && !binding.getHostPortSpec().isBlank()) {
                        return Integer.parseInt(binding.getHostPortSpec());
                    }
                }
            }
        }
        return null;
    }

    private static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant instant = Instant.parse(value);
            return instant.equals(NEVER) ? null : instant;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public Closeable logs(String jobId, Integer tail, boolean follow, Consumer<LogLine> sink, Runnable onEnd) {
        if (inspect(jobId).isEmpty()) {
            throw new ContainerRuntimeException("no container for job " + jobId, true, null);
        }
        var command = docker.logContainerCmd(containerName(jobId)).withStdOut(true).withStdErr(true)
                .withTimestamps(true).withFollowStream(follow);
        if (tail == null) {
            command.withTailAll();
        } else {
            command.withTail(tail);
        }
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                onEnd.run();
            }
        };
        return command.exec(new ResultCallback.Adapter<Frame>() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public void onNext(Frame frame) {
                LogLine.Stream stream = frame.getStreamType() == StreamType.STDERR
                        ? LogLine.Stream.STDERR : LogLine.Stream.STDOUT;
                partial.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                int newline;
                while ((newline = partial.indexOf("\n")) >= 0) {
                    String raw = partial.substring(0, newline);
                    partial.delete(0, newline + 1);
                    sink.accept(parseLine(raw, stream));
                }
            }

            @Override
            public void onError(Throwable throwable) {
                super.onError(throwable);
                end.run();
            }

            @Override
            public void onComplete() {
                if (!partial.isEmpty()) {
                    sink.accept(parseLine(partial.toString(), LogLine.Stream.STDOUT));
                    partial.setLength(0);
                }
                super.onComplete();
                end.run();
            }

            @Override
            public void close() throws IOException {
                super.close();
                end.run();
            }
        });
    }

    /** Splits Docker's "2024-01-01T00:00:00.123456789Z text" into timestamp and text. */
    static LogLine parseLine(String raw, LogLine.Stream stream) {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        int space = line.indexOf(' ');
        if (space > 0) {
            try {
                return new LogLine(Instant.parse(line.substring(0, space)), stream, line.substring(space + 1));
            } catch (DateTimeParseException e) {
                // No timestamp prefix: keep the whole line.
            }
        }
        return new LogLine(null, stream, line);
    }

    @Override
    public Closeable events(Consumer<ContainerEvent> listener) {
        return new EventFollower(listener).open();
    }

    /**
     * Follows the engine's event stream for this host's containers, reconnecting (after a second) when it ends
     * or breaks, e.g. while the engine restarts; every (re)connection tells the listener to resync.
     */
    private final class EventFollower implements Closeable {
        private final Consumer<ContainerEvent> listener;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile Closeable current;

        EventFollower(Consumer<ContainerEvent> listener) {
            this.listener = listener;
        }

        EventFollower open() {
            connect();
            return this;
        }

        private void connect() {
            if (closed.get()) {
                return;
            }
            try {
                current = docker.eventsCmd()
                        .withEventTypeFilter(EventType.CONTAINER)
                        .withLabelFilter(Map.of(LABEL_HOST, hostId))
                        .withEventFilter("start", "die", "oom", "destroy")
                        .exec(new ResultCallback.Adapter<Event>() {
                            @Override
                            public void onStart(Closeable stream) {
                                super.onStart(stream);
                                listener.accept(new ContainerEvent(null, ContainerEvent.Kind.RESYNC, Instant.now()));
                            }

                            @Override
                            public void onNext(Event event) {
                                dispatch(event);
                            }

                            @Override
                            public void onError(Throwable throwable) {
                                super.onError(throwable);
                                reconnectLater(throwable.getMessage());
                            }

                            @Override
                            public void onComplete() {
                                super.onComplete();
                                reconnectLater("stream ended");
                            }
                        });
            } catch (RuntimeException e) {
                reconnectLater(e.getMessage());
            }
        }

        private void reconnectLater(String why) {
            if (closed.get()) {
                return;
            }
            LOG.warn("event=runtime.events-lost host={} reason=\"{}\"", hostId, why);
            Thread thread = new Thread(() -> {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                connect();
            }, "pier-docker-events-reconnect");
            thread.setDaemon(true);
            thread.start();
        }

        private void dispatch(Event event) {
            Map<String, String> attributes = event.getActor() == null ? null : event.getActor().getAttributes();
            String jobId = attributes == null ? null : attributes.get(LABEL_JOB);
            if (jobId == null || !hostId.equals(attributes.get(LABEL_HOST))) {
                return;
            }
            String action = event.getAction() != null ? event.getAction() : event.getStatus();
            ContainerEvent.Kind kind = switch (String.valueOf(action)) {
                case "start" -> ContainerEvent.Kind.STARTED;
                case "die" -> ContainerEvent.Kind.EXITED;
                case "oom" -> ContainerEvent.Kind.OUT_OF_MEMORY;
                case "destroy" -> ContainerEvent.Kind.REMOVED;
                default -> null;
            };
            if (kind != null) {
                Instant at = event.getTimeNano() != null ? Instant.ofEpochSecond(0, event.getTimeNano()) : Instant.now();
                listener.accept(new ContainerEvent(jobId, kind, at));
            }
            // a web job that ended leaves its sandbox at once (its container and logs stay): the port it published
            // then refuses connections, as a job's own port does once its container stops, so a router that still
            // sends it a request tries another instance instead of a proxy with nothing behind it
            String sandbox = attributes.get(LABEL_SANDBOX);
            if (kind == ContainerEvent.Kind.EXITED && sandbox != null && attributes.containsKey(LABEL_SANDBOX_PORT)) {
                CompletableFuture.runAsync(() -> sandboxes.release(sandbox));
            }
        }

        @Override
        public void close() throws IOException {
            if (closed.compareAndSet(false, true) && current != null) {
                current.close();
            }
        }
    }

    @Override
    public Attachment attach(String jobId, Consumer<byte[]> output, Runnable onEnd) {
        Optional<ContainerInfo> info = inspect(jobId);
        if (info.isEmpty() || !(info.get().isRunning() || info.get().status() == ContainerInfo.Status.CREATED)) {
            throw new ContainerRuntimeException("job " + jobId + " has no running container to attach to", true, null);
        }
        StdinStream stdin = null;
        try {
            stdin = StdinStream.open(dockerHost, API_VERSION, containerName(jobId));
            AtomicBoolean ended = new AtomicBoolean();
            Runnable end = () -> {
                if (ended.compareAndSet(false, true)) {
                    onEnd.run();
                }
            };
            CountDownLatch attached = new CountDownLatch(1);
            ResultCallback.Adapter<Frame> callback = docker.attachContainerCmd(containerName(jobId))
                    .withStdOut(true).withStdErr(true).withFollowStream(true)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onStart(Closeable stream) {
                            super.onStart(stream);
                            attached.countDown();
                        }

                        @Override
                        public void onNext(Frame frame) {
                            output.accept(frame.getPayload());
                        }

                        // end first: the adapter's own close interrupts this thread, and an interrupted thread
                        // cannot write the WebSocket's close frame
                        @Override
                        public void onError(Throwable throwable) {
                            end.run();
                            super.onError(throwable);
                        }

                        @Override
                        public void onComplete() {
                            end.run();
                            super.onComplete();
                        }
                    });
            // The engine subscribes the attach to the container's output before it answers: once answered, a
            // container started now has all of its output seen.
            if (!attached.await(ATTACH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                callback.close();
                stdin.close();
                throw new ContainerRuntimeException("cannot attach to job " + jobId + ": no answer from the engine "
                        + "within " + ATTACH_TIMEOUT.toSeconds() + " s", false, null);
            }
            StdinStream input = stdin;
            return new Attachment() {
                @Override
                public void write(byte[] bytes) {
                    try {
                        input.write(bytes);
                    } catch (IOException e) {
                        throw new ContainerRuntimeException("stdin of job " + jobId + " is closed", false, e);
                    }
                }

                @Override
                public void endStdin() {
                    try {
                        input.end();
                    } catch (IOException e) {
                        LOG.debug("event=attach.stdin-end-failed job={} reason={}", jobId, e.getMessage());
                    }
                }

                @Override
                public void resize(int columns, int rows) {
                    try {
                        docker.resizeContainerCmd(containerName(jobId)).withSize(rows, columns).exec();
                    } catch (DockerException e) {
                        LOG.debug("event=attach.resize-failed job={} reason={}", jobId, e.getMessage());
                    }
                }

                @Override
                public void close() {
                    try {
                        input.close();
                        callback.close();
                    } catch (IOException e) {
                        // Closing a finished attachment: nothing to do.
                    }
                    end.run();
                }
            };
        } catch (IOException e) {
            closeQuietly(stdin);
            throw new ContainerRuntimeException("cannot attach to job " + jobId + ": " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            closeQuietly(stdin);
            Thread.currentThread().interrupt();
            throw new ContainerRuntimeException("interrupted while attaching to job " + jobId, false, e);
        }
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException e) {
                // closing after a failure
            }
        }
    }
}
