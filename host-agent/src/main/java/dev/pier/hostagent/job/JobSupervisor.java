package dev.pier.hostagent.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pier.api.JobState;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import dev.pier.api.http.Json;
import dev.pier.hostagent.discovery.Discovery;
import dev.pier.hostagent.runtime.ContainerEvent;
import dev.pier.hostagent.runtime.ContainerInfo;
import dev.pier.hostagent.runtime.ContainerRuntime;
import dev.pier.hostagent.runtime.ContainerRuntimeException;
import dev.pier.hostagent.runtime.ContainerSpec;
import dev.pier.hostagent.runtime.LogLine;
import dev.pier.web.ApiProblem;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's jobs: starts them as containers, follows them to {@code up} (health check), {@code crashed},
 * {@code down} or {@code failed}, stops them, and on start-up rebuilds its table from the runtime's labels alone
 * (running containers are adopted, not restarted). Every change moves along {@link JobState#canMoveTo} and is
 * published, in order, to the listeners (the SSE stream, discovery).
 */
public final class JobSupervisor implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(JobSupervisor.class);
    /** The label holding the job's spec as JSON, so a restarted agent knows what it runs. */
    public static final String LABEL_SPEC = "pier.spec";
    public static final String LABEL_CREATED = "pier.created";

    /**
     * One job: what was asked, what it is now, its published port, whether its container was started, and whether
     * its created container waits for its first attach (an interactive job) since {@code startingSince}.
     */
    private record Entry(JobSpec spec, HostJob job, Integer hostPort, boolean started, Instant startingSince,
                         boolean waitsForAttach) {
        Entry with(HostJob newJob) {
            return new Entry(spec, newJob, hostPort, started, startingSince, waitsForAttach);
        }

        Entry started(Instant at) {
            return new Entry(spec, job, hostPort, true, at, false);
        }

        Entry waitingForAttach(Instant since) {
            return new Entry(spec, job, hostPort, false, since, true);
        }

        /** An attach is starting it: no other attach, stop or timeout may take it from here. */
        Entry claimed() {
            return new Entry(spec, job, hostPort, false, startingSince, false);
        }
    }

    /** What the supervisor needs to know about its host. */
    public record Settings(String hostId, String url, String bindAddress, PortRange ports, long totalMemoryMb,
                           Duration stopGrace, Duration drain, Duration healthTimeout, Duration healthInterval,
                           Duration attachTimeout) {
    }

    /** Consecutive failed health checks after which an up job is crashed. */
    public static final int FAILURES_TO_CRASH = 3;

    /** Receives job changes and host updates, in order, on the supervisor's event thread. */
    public interface Listener {
        void job(HostJob job);

        void host(HostInfo host);

        /** An ended job was removed with its container. */
        void removed(String jobId);
    }

    private final ContainerRuntime runtime;
    private final Settings settings;
    private final Discovery discovery;
    private final HealthProbe probe = new HealthProbe();
    private final Clock clock;
    private final Map<String, Entry> jobs = new LinkedHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> probing = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failedChecks = new ConcurrentHashMap<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(daemon("pier-job-events"));
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("pier-job-worker"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("pier-job-timer"));
    private int lastPort;
    private Closeable containerEvents;

    public JobSupervisor(ContainerRuntime runtime, Settings settings, Discovery discovery, Clock clock) {
        this.runtime = runtime;
        this.settings = settings;
        this.discovery = discovery;
        this.clock = clock;
        this.lastPort = settings.ports().first() - 1;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Subscribes to the runtime's events, adopts what the runtime already runs, and starts health checks. */
    public void open() {
        containerEvents = runtime.events(this::onContainerEvent);
        adopt();
        timer.scheduleWithFixedDelay(this::checkStarting, 100, 100, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::reconcileSafely, 5, 5, TimeUnit.SECONDS);
        long interval = settings.healthInterval().toMillis();
        timer.scheduleWithFixedDelay(this::checkUp, interval, interval, TimeUnit.MILLISECONDS);
        discovery.registerHost(host());
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            if (containerEvents != null) {
                containerEvents.close();
            }
        } catch (IOException e) {
            LOG.debug("event=runtime.events-close-failed reason={}", e.getMessage());
        }
        workers.shutdownNow();
        events.shutdown();
    }

    public String hostId() {
        return settings.hostId();
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /**
     * Runs {@code task} on the event thread, after every change published so far: a new subscriber sends its
     * snapshot from here, so it misses nothing.
     */
    public void onEventThread(Runnable task) {
        events.execute(task);
    }

    public synchronized List<HostJob> list() {
        return jobs.values().stream().map(Entry::job).toList();
    }

    public synchronized Optional<HostJob> get(String id) {
        return Optional.ofNullable(jobs.get(id)).map(Entry::job);
    }

    public synchronized HostInfo host() {
        long allocated = 0;
        int active = 0;
        for (Entry entry : jobs.values()) {
            if (holdsResources(entry.job().state())) {
                active++;
                allocated += entry.spec().memoryMb() == null ? 0 : entry.spec().memoryMb();
            }
        }
        return new HostInfo(settings.hostId(), settings.url(), settings.totalMemoryMb(), allocated, active);
    }

    private static boolean holdsResources(JobState state) {
        return !state.isTerminal();
    }

    /** Starts a job (idempotent on its id). Throws {@link ApiProblem} for a conflict or a full host. */
    public HostJob start(JobSpec spec) {
        Entry entry;
        synchronized (this) {
            Entry existing = jobs.get(spec.id());
            if (existing != null) {
                if (existing.spec().equals(spec)) {
                    return existing.job();
                }
                throw ApiProblem.conflict("id", "job " + spec.id() + " already exists on host " + settings.hostId()
                        + " with a different spec");
            }
            HostInfo host = host();
            int memory = spec.memoryMb() == null ? 0 : spec.memoryMb();
            if (host.allocatedMemoryMb() + memory > settings.totalMemoryMb()) {
                throw ApiProblem.unavailable("host " + settings.hostId() + " has " + (settings.totalMemoryMb()
                        - host.allocatedMemoryMb()) + " MB of memory free; job " + spec.id() + " asks for " + memory);
            }
            Integer hostPort = null;
            if (spec.port() != null) {
                Set<Integer> taken = new HashSet<>();
                jobs.values().stream().filter(e -> holdsResources(e.job().state()) && e.hostPort() != null)
                        .forEach(e -> taken.add(e.hostPort()));
                hostPort = settings.ports().pick(taken, lastPort, this::bindable).orElseThrow(() ->
                        ApiProblem.unavailable("host " + settings.hostId() + " has no free port in "
                                + settings.ports().first() + "-" + settings.ports().last()));
                lastPort = hostPort;
            }
            Instant now = clock.instant();
            HostJob job = new HostJob(spec.id(), settings.hostId(), spec.app(), spec.releaseId(), spec.processType(),
                    spec.image(), JobState.PENDING, null, null,
                    hostPort == null ? null : settings.bindAddress() + ":" + hostPort, spec.memoryMb(), now, now);
            entry = new Entry(spec, job, hostPort, false, now, false);
            jobs.put(spec.id(), entry);
            publish(job);
            move(spec.id(), JobState.STARTING, null, null);
        }
        if (spec.interactive()) {
            return createForAttach(entry);
        }
        try {
            runtime.start(containerSpec(entry));
            boolean stopAsked = false;
            synchronized (this) {
                Entry current = jobs.get(spec.id());
                if (current != null) {
                    jobs.put(spec.id(), current.started(clock.instant()));
                    stopAsked = current.job().state() == JobState.STOPPING;
                }
            }
            if (stopAsked) {
                // Stopped while its container was being created: stop the container now it exists.
                stopContainer(spec.id());
            }
            LOG.info("event=job.started host={} job={} app={} process={} address={}", settings.hostId(), spec.id(),
                    spec.app(), spec.processType(), entry.job().address());
        } catch (ContainerRuntimeException e) {
            LOG.info("event=job.failed host={} job={} app={} reason=\"{}\"", settings.hostId(), spec.id(), spec.app(),
                    e.getMessage());
            move(spec.id(), JobState.FAILED, e.getMessage(), null);
        }
        return get(spec.id()).orElseThrow();
    }

    /**
     * An interactive job: its container is created now and started by its first attach ({@link #attach}), as
     * {@code docker run -i} attaches before it starts, so the attacher sees every byte the job writes. Nobody
     * attaching within the attach timeout fails it.
     */
    private HostJob createForAttach(Entry entry) {
        String id = entry.spec().id();
        try {
            runtime.create(containerSpec(entry));
        } catch (ContainerRuntimeException e) {
            LOG.info("event=job.failed host={} job={} app={} reason=\"{}\"", settings.hostId(), id,
                    entry.spec().app(), e.getMessage());
            move(id, JobState.FAILED, e.getMessage(), null);
            return get(id).orElseThrow();
        }
        synchronized (this) {
            Entry current = jobs.get(id);
            if (current != null && current.job().state() == JobState.STOPPING) {
                move(id, JobState.DOWN, "stopped before anyone attached", null);
            } else if (current != null && current.job().state() == JobState.STARTING) {
                jobs.put(id, current.waitingForAttach(clock.instant()));
                LOG.info("event=job.waiting-for-attach host={} job={} app={} timeout_s={}", settings.hostId(), id,
                        entry.spec().app(), settings.attachTimeout().toSeconds());
            }
        }
        return get(id).orElseThrow();
    }

    private boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private ContainerSpec containerSpec(Entry entry) {
        JobSpec spec = entry.spec();
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        if (spec.port() != null) {
            env.put("PORT", String.valueOf(spec.port()));
        }
        Map<String, String> labels = new HashMap<>();
        try {
            labels.put(LABEL_SPEC, Json.mapper().writeValueAsString(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the spec of job " + spec.id(), e);
        }
        labels.put(LABEL_CREATED, entry.job().createdAt().toString());
        return new ContainerSpec(spec.id(), spec.app(), spec.releaseId() == null ? null : spec.releaseId().toString(),
                spec.processType(), spec.image(), spec.entrypoint(), spec.command(), env,
                spec.memoryMb() == null ? null : spec.memoryMb() * 1024L * 1024L, spec.cpus(), spec.port(),
                entry.hostPort(), spec.tty(), spec.interactive(), labels);
    }

    /**
     * Stops a job: it moves to {@code stopping} (web jobs leave discovery first, and a web job that was serving
     * keeps running for the drain period so that requests routed to it before routers saw it leave are answered),
     * then the container gets SIGTERM and, after the grace period, SIGKILL. An ended job is returned as it is.
     */
    public HostJob stop(String id) {
        boolean serving;
        synchronized (this) {
            Entry entry = jobs.get(id);
            if (entry == null) {
                throw ApiProblem.notFound("no job " + id + " on host " + settings.hostId());
            }
            if (!entry.job().state().isActive()) {
                return entry.job();
            }
            serving = isWeb(entry) && entry.job().state() == JobState.UP;
            move(id, JobState.STOPPING, "stop requested", null);
            if (entry.waitsForAttach()) {
                // Its container never ran: nothing to signal.
                jobs.put(id, jobs.get(id).claimed());
                move(id, JobState.DOWN, "stopped before anyone attached", null);
                return jobs.get(id).job();
            }
        }
        if (serving && !settings.drain().isZero()) {
            // It has left discoverd (in move): requests routed before routers saw that still get answers.
            timer.schedule(() -> stopContainer(id), settings.drain().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            stopContainer(id);
        }
        return get(id).orElseThrow();
    }

    private void stopContainer(String id) {
        workers.execute(() -> {
            try {
                runtime.stop(id, settings.stopGrace());
            } catch (RuntimeException e) {
                LOG.warn("event=job.stop-failed host={} job={} reason=\"{}\"", settings.hostId(), id, e.getMessage());
            }
            refresh(id);
        });
    }

    /** Forgets an ended job and removes its container and logs. */
    public void remove(String id) {
        synchronized (this) {
            Entry entry = jobs.get(id);
            if (entry == null) {
                throw ApiProblem.notFound("no job " + id + " on host " + settings.hostId());
            }
            if (!entry.job().state().isTerminal()) {
                throw ApiProblem.conflict("id", "job " + id + " is " + entry.job().state().wireName()
                        + "; stop it before removing it");
            }
            jobs.remove(id);
            HostInfo host = host();
            events.execute(() -> listeners.forEach(listener -> {
                try {
                    listener.removed(id);
                    listener.host(host);
                } catch (RuntimeException e) {
                    LOG.debug("event=listener.failed reason={}", e.getMessage());
                }
            }));
        }
        runtime.remove(id);
        LOG.info("event=job.removed host={} job={}", settings.hostId(), id);
    }

    /** Streams a job's logs; see {@link ContainerRuntime#logs}. */
    public Closeable logs(String id, Integer lines, boolean follow, Consumer<LogLine> sink, Runnable onEnd) {
        if (get(id).isEmpty()) {
            throw ApiProblem.notFound("no job " + id + " on host " + settings.hostId());
        }
        return runtime.logs(id, lines, follow, sink, onEnd);
    }

    /**
     * Attaches to an interactive job. The first attach to a job waiting for one starts its container once attached
     * (so it misses nothing); later ones join a running job and see its output from then on. A job that was not
     * started {@code interactive} has nothing to attach to (its output is in its logs).
     */
    public ContainerRuntime.Attachment attach(String id, Consumer<byte[]> output, Runnable onEnd) {
        boolean starts;
        synchronized (this) {
            Entry entry = jobs.get(id);
            if (entry == null) {
                throw ApiProblem.notFound("no job " + id + " on host " + settings.hostId());
            }
            if (!entry.spec().interactive()) {
                throw ApiProblem.conflict("id", "job " + id + " was not started interactive: nothing to attach to "
                        + "(read its output from its log)");
            }
            if (!entry.job().state().isActive()) {
                throw ApiProblem.conflict("id", "job " + id + " is " + entry.job().state().wireName()
                        + (entry.job().reason() == null ? "" : " (" + entry.job().reason() + ")"));
            }
            starts = entry.waitsForAttach();
            if (starts) {
                jobs.put(id, entry.claimed());
            }
        }
        ContainerRuntime.Attachment attachment;
        try {
            attachment = runtime.attach(id, output, onEnd);
        } catch (ContainerRuntimeException e) {
            if (starts) {
                move(id, JobState.FAILED, "cannot attach: " + e.getMessage(), null);
            }
            throw e;
        }
        if (starts) {
            startAttached(id, attachment);
        }
        return attachment;
    }

    private void startAttached(String id, ContainerRuntime.Attachment attachment) {
        try {
            runtime.startCreated(id);
        } catch (ContainerRuntimeException e) {
            LOG.info("event=job.failed host={} job={} reason=\"{}\"", settings.hostId(), id, e.getMessage());
            move(id, JobState.FAILED, e.getMessage(), null);
            attachment.close();
            throw e;
        }
        boolean stopAsked = false;
        synchronized (this) {
            Entry current = jobs.get(id);
            if (current != null) {
                jobs.put(id, current.started(clock.instant()));
                stopAsked = current.job().state() == JobState.STOPPING;
            }
        }
        if (stopAsked) {
            stopContainer(id);
        }
        LOG.info("event=job.started host={} job={} attached=true", settings.hostId(), id);
    }

    /** Fails interactive jobs that nobody attached to within the attach timeout. */
    private void failUnattached(Instant now) {
        List<String> late;
        synchronized (this) {
            late = jobs.values().stream().filter(e -> e.waitsForAttach() && e.job().state() == JobState.STARTING
                            && Duration.between(e.startingSince(), now).compareTo(settings.attachTimeout()) > 0)
                    .map(e -> e.job().id()).toList();
            for (String id : late) {
                jobs.put(id, jobs.get(id).claimed());
                move(id, JobState.FAILED, "nobody attached within " + settings.attachTimeout().toSeconds() + " s", null);
            }
        }
        late.forEach(id -> LOG.info("event=job.unattached host={} job={}", settings.hostId(), id));
    }

    // ---- following containers ----

    private void onContainerEvent(ContainerEvent event) {
        switch (event.kind()) {
            case RESYNC -> workers.execute(this::reconcileSafely);
            case EXITED, OUT_OF_MEMORY -> workers.execute(() -> refresh(event.jobId()));
            case REMOVED -> workers.execute(() -> removedOutside(event.jobId()));
            case STARTED -> {
                // The health check moves it to up.
            }
        }
    }

    private void removedOutside(String id) {
        synchronized (this) {
            Entry entry = jobs.get(id);
            if (entry != null && !entry.job().state().isTerminal()) {
                move(id, entry.job().state() == JobState.STOPPING ? JobState.DOWN : JobState.CRASHED,
                        "container removed outside the agent", null);
            }
        }
    }

    /** Reads a job's container and moves the job to how it ended, when it has. */
    void refresh(String id) {
        Optional<ContainerInfo> info;
        try {
            info = runtime.inspect(id);
        } catch (RuntimeException e) {
            LOG.warn("event=job.inspect-failed host={} job={} reason=\"{}\"", settings.hostId(), id, e.getMessage());
            return;
        }
        synchronized (this) {
            Entry entry = jobs.get(id);
            if (entry == null || entry.job().state().isTerminal()) {
                return;
            }
            if (info.isEmpty()) {
                if (entry.started()) {
                    removedOutside(id);
                }
                return;
            }
            ContainerInfo container = info.get();
            if (container.status() == ContainerInfo.Status.EXITED
                    || (container.status() == ContainerInfo.Status.CREATED && entry.started())) {
                JobEnding ending = JobEnding.of(container, entry.job().state() == JobState.STOPPING,
                        entry.spec().memoryMb());
                move(id, ending.state(), ending.reason(), ending.exitStatus());
            }
        }
    }

    private void reconcileSafely() {
        try {
            List<String> active;
            synchronized (this) {
                active = jobs.values().stream().filter(e -> !e.job().state().isTerminal() && e.started())
                        .map(e -> e.job().id()).toList();
            }
            active.forEach(this::refresh);
        } catch (RuntimeException e) {
            LOG.warn("event=job.reconcile-failed host={} reason=\"{}\"", settings.hostId(), e.getMessage());
        }
    }

    /** Moves starting jobs whose container runs and whose port serves to up; gives up after the timeout. */
    private void checkStarting() {
        failUnattached(clock.instant());
        List<Entry> starting;
        synchronized (this) {
            starting = jobs.values().stream().filter(e -> e.job().state() == JobState.STARTING && e.started())
                    .toList();
        }
        Instant now = clock.instant();
        for (Entry entry : starting) {
            String id = entry.job().id();
            if (!probing.add(id)) {
                continue;
            }
            workers.execute(() -> {
                try {
                    if (healthy(entry)) {
                        synchronized (this) {
                            Entry current = jobs.get(id);
                            if (current != null && current.job().state() == JobState.STARTING) {
                                move(id, JobState.UP, null, null);
                            }
                        }
                        return;
                    }
                    Duration timeout = entry.spec().healthCheck() != null
                            && entry.spec().healthCheck().timeoutSeconds() != null
                            ? Duration.ofSeconds(entry.spec().healthCheck().timeoutSeconds()) : settings.healthTimeout();
                    if (Duration.between(entry.startingSince(), now).compareTo(timeout) > 0) {
                        failHealthCheck(id, timeout);
                    }
                } finally {
                    probing.remove(id);
                }
            });
        }
    }

    /**
     * Checks up jobs with a port every health interval; after {@link #FAILURES_TO_CRASH} failures in a row the job
     * is crashed ("health check failed while up") and its container stopped, so the scheduler replaces it.
     */
    private void checkUp() {
        List<Entry> up;
        synchronized (this) {
            up = jobs.values().stream().filter(e -> e.job().state() == JobState.UP && e.hostPort() != null).toList();
        }
        failedChecks.keySet().retainAll(up.stream().map(e -> e.job().id()).toList());
        for (Entry entry : up) {
            String id = entry.job().id();
            if (!probing.add(id)) {
                continue;
            }
            workers.execute(() -> {
                try {
                    if (healthy(entry)) {
                        failedChecks.remove(id);
                    } else if (failedChecks.merge(id, 1, Integer::sum) >= FAILURES_TO_CRASH) {
                        failedChecks.remove(id);
                        crashUnhealthy(id);
                    }
                } finally {
                    probing.remove(id);
                }
            });
        }
    }

    private void crashUnhealthy(String id) {
        synchronized (this) {
            Entry entry = jobs.get(id);
            if (entry == null || entry.job().state() != JobState.UP) {
                return;
            }
            move(id, JobState.CRASHED, "health check failed while up (" + FAILURES_TO_CRASH + " checks in a row)",
                    null);
        }
        LOG.info("event=job.unhealthy host={} job={} state=up", settings.hostId(), id);
        stopContainer(id);
    }

    private boolean healthy(Entry entry) {
        if (entry.hostPort() == null) {
            return true;
        }
        String path = entry.spec().healthCheck() == null ? null : entry.spec().healthCheck().path();
        return path == null ? probe.tcp(settings.bindAddress(), entry.hostPort())
                : probe.http(settings.bindAddress(), entry.hostPort(), path);
    }

    private void failHealthCheck(String id, Duration timeout) {
        synchronized (this) {
            Entry entry = jobs.get(id);
            if (entry == null || entry.job().state() != JobState.STARTING) {
                return;
            }
            move(id, JobState.CRASHED, "health check did not pass within " + timeout.toSeconds() + " s", null);
        }
        LOG.info("event=job.unhealthy host={} job={} timeout_s={}", settings.hostId(), id, timeout.toSeconds());
        try {
            runtime.stop(id, settings.stopGrace());
        } catch (RuntimeException e) {
            LOG.warn("event=job.stop-failed host={} job={} reason=\"{}\"", settings.hostId(), id, e.getMessage());
        }
    }

    // ---- state changes ----

    /** Moves a job along the state table and publishes the change; an illegal move is logged and ignored. */
    private synchronized void move(String id, JobState next, String reason, Integer exitStatus) {
        Entry entry = jobs.get(id);
        if (entry == null || entry.job().state() == next) {
            return;
        }
        JobState previous = entry.job().state();
        if (!previous.canMoveTo(next)) {
            LOG.warn("event=job.illegal-move host={} job={} from={} to={}", settings.hostId(), id,
                    previous.wireName(), next.wireName());
            return;
        }
        HostJob job = entry.job().moveTo(next, reason, exitStatus, clock.instant());
        jobs.put(id, entry.with(job));
        LOG.info("event=job.state host={} job={} app={} from={} to={} reason=\"{}\"", settings.hostId(), id,
                job.app(), previous.wireName(), next.wireName(), reason == null ? "" : reason);
        if (isWeb(entry) && next == JobState.UP) {
            String service = job.app() + "-web";
            String address = job.address();
            events.execute(() -> discovery.registerJob(service, id, address));
        } else if (isWeb(entry) && previous == JobState.UP) {
            // Leaving up (stopping or crashed): withdraw from the service before anything else happens to it.
            discovery.deregisterJob(job.app() + "-web", id);
        }
        publish(job);
    }

    private static boolean isWeb(Entry entry) {
        return "web".equals(entry.spec().processType()) && entry.hostPort() != null;
    }

    private void publish(HostJob job) {
        HostInfo host = host();
        events.execute(() -> {
            for (Listener listener : listeners) {
                try {
                    listener.job(job);
                    listener.host(host);
                } catch (RuntimeException e) {
                    LOG.debug("event=listener.failed reason={}", e.getMessage());
                }
            }
        });
    }

    // ---- adoption ----

    /** Rebuilds the job table from the runtime alone: running containers are adopted, ended ones remembered. */
    private void adopt() {
        List<ContainerInfo> containers = runtime.list();
        int adopted = 0;
        for (ContainerInfo container : containers) {
            String json = container.labels().get(LABEL_SPEC);
            if (json == null) {
                LOG.warn("event=job.not-adopted host={} job={} reason=\"no spec label\"", settings.hostId(),
                        container.jobId());
                continue;
            }
            JobSpec spec;
            try {
                spec = Json.mapper().readValue(json, JobSpec.class);
            } catch (IOException e) {
                LOG.warn("event=job.not-adopted host={} job={} reason=\"unreadable spec label\"", settings.hostId(),
                        container.jobId());
                continue;
            }
            Instant created = parseInstant(container.labels().get(LABEL_CREATED), clock.instant());
            Integer hostPort = container.hostPort();
            JobState state;
            String reason = null;
            Integer exit = null;
            if (container.isRunning()) {
                state = JobState.STARTING;
            } else {
                JobEnding ending = JobEnding.of(container, false, spec.memoryMb());
                state = ending.state();
                reason = ending.reason();
                exit = ending.exitStatus();
            }
            HostJob job = new HostJob(spec.id(), settings.hostId(), spec.app(), spec.releaseId(), spec.processType(),
                    spec.image(), state, reason, exit, hostPort == null ? null : settings.bindAddress() + ":" + hostPort,
                    spec.memoryMb(), created, clock.instant());
            synchronized (this) {
                if (jobs.containsKey(spec.id())) {
                    continue;
                }
                Instant since = container.startedAt() != null ? container.startedAt() : clock.instant();
                jobs.put(spec.id(), new Entry(spec, job, hostPort, true, since.isBefore(clock.instant()) ? clock.instant()
                        : since, false));
                if (hostPort != null && hostPort > lastPort) {
                    lastPort = hostPort;
                }
                publish(job);
            }
            adopted++;
            LOG.info("event=job.adopted host={} job={} app={} state={}", settings.hostId(), spec.id(), spec.app(),
                    state.wireName());
        }
        LOG.info("event=host.adopted host={} containers={} jobs={}", settings.hostId(), containers.size(), adopted);
    }

    private static Instant parseInstant(String value, Instant fallback) {
        try {
            return value == null ? fallback : Instant.parse(value);
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
