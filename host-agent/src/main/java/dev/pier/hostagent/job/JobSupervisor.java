package dev.pier.hostagent.job;

import dev.pier.api.JobState;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.HostVolume;
import dev.pier.api.host.JobSpec;
import dev.pier.api.host.VolumeMount;
import dev.pier.hostagent.discovery.Discovery;
import dev.pier.hostagent.runtime.ContainerEvent;
import dev.pier.hostagent.runtime.ContainerInfo;
import dev.pier.hostagent.runtime.ContainerRuntime;
import dev.pier.hostagent.runtime.ContainerRuntimeException;
import dev.pier.hostagent.runtime.LogLine;
import dev.pier.hostagent.runtime.VolumeInfo;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's jobs, in action: starts them as containers, follows their containers to how they end, stops them,
 * and on start-up rebuilds the table from the runtime's labels alone (running containers are adopted, not
 * restarted). What a job is and may become is the {@link JobTable}'s (pure); the health checks are
 * {@link HealthChecks}', the announcements in discovery {@link JobAnnouncements}'. Every change moves along
 * {@link JobState#canMoveTo} and is published, in order, to the listeners (the SSE stream) on the event thread.
 * The table is guarded by this object's lock; the runtime is called outside it, except where noted.
 */
public final class JobSupervisor implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(JobSupervisor.class);

    /** What the supervisor needs to know about its host. */
    public record Settings(String hostId, String url, String bindAddress, PortRange ports, long totalMemoryMb,
                           Duration stopGrace, Duration drain, Duration healthTimeout, Duration healthInterval,
                           Duration attachTimeout, String jobAddress) {

        public Settings {
            jobAddress = jobAddress == null ? bindAddress : jobAddress;
        }

        public Settings(String hostId, String url, String bindAddress, PortRange ports, long totalMemoryMb,
                        Duration stopGrace, Duration drain, Duration healthTimeout, Duration healthInterval,
                        Duration attachTimeout) {
            this(hostId, url, bindAddress, ports, totalMemoryMb, stopGrace, drain, healthTimeout, healthInterval,
                    attachTimeout, null);
        }
    }

    /** Labels a volume is made with, besides the runtime's own: what it was made for, where, and when. */
    static final String VOLUME_APP = "pier.app";
    static final String VOLUME_PROCESS = "pier.process";
    static final String VOLUME_PATH = "pier.path";
    static final String VOLUME_SIZE_MB = "pier.size-mb";
    static final String VOLUME_CREATED = "pier.created";

    /** Receives job changes and host updates, in order, on the supervisor's event thread. */
    public interface Listener {
        void job(HostJob job);

        void host(HostInfo host);

        /** An ended job was removed with its container. */
        void removed(String jobId);
    }

    private final ContainerRuntime runtime;
    private final Settings settings;
    private final Clock clock;
    private final JobTable table;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** How long after a SIGKILL exit the engine is given to report that it was the OOM killer's. */
    static final Duration OOM_SECOND_LOOK = Duration.ofSeconds(1);

    private final ExecutorService events = Executors.newSingleThreadExecutor(daemon("pier-job-events"));
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("pier-job-worker"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("pier-job-timer"));
    private final JobAnnouncements announcements;
    private final HealthChecks health;
    private final Discovery discovery;
    private Closeable containerEvents;

    public JobSupervisor(ContainerRuntime runtime, Settings settings, Discovery discovery, Clock clock) {
        this.runtime = runtime;
        this.settings = settings;
        this.discovery = discovery;
        this.clock = clock;
        this.table = new JobTable(settings.hostId(), settings.url(), settings.bindAddress(), settings.jobAddress(),
                settings.ports(), settings.totalMemoryMb());
        this.announcements = new JobAnnouncements(discovery, events);
        this.health = new HealthChecks(new HealthProbe(), settings.bindAddress(), settings.healthTimeout(),
                settings.healthInterval(), workers,
                new HealthChecks.Verdicts() {
                    @Override
                    public void passed(String jobId) {
                        passedHealthCheck(jobId);
                    }

                    @Override
                    public void neverPassed(String jobId, Duration timeout) {
                        failHealthCheck(jobId, timeout);
                    }

                    @Override
                    public void failedWhileUp(String jobId) {
                        crashUnhealthy(jobId);
                    }
                });
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
        findVolumes();
        adopt();
        timer.scheduleWithFixedDelay(this::checkStarting, 100, 100, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::reconcileSafely, 5, 5, TimeUnit.SECONDS);
        // each up job is checked at its own interval (its release's, else the agent's): look often enough for both
        long interval = Math.min(settings.healthInterval().toMillis(), 1000);
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
        return table.jobs();
    }

    public synchronized Optional<HostJob> get(String id) {
        return table.job(id);
    }

    public synchronized HostInfo host() {
        return table.host();
    }

    /** Starts a job (idempotent on its id). Throws {@link ApiProblem} for a conflict or a full host. */
    public HostJob start(JobSpec spec) {
        JobTable.Entry entry;
        synchronized (this) {
            Optional<HostJob> known = table.known(spec);
            if (known.isPresent()) {
                return known.get();
            }
            entry = table.admit(spec, clock.instant(), this::bindable, this::fixedBindable);
            publish(entry.job());
            move(spec.id(), JobState.STARTING, null, null);
        }
        try {
            makeVolumes(spec);
        } catch (ContainerRuntimeException e) {
            LOG.info("event=job.failed host={} job={} app={} reason=\"{}\"", settings.hostId(), spec.id(), spec.app(),
                    e.getMessage());
            move(spec.id(), JobState.FAILED, e.getMessage(), null);
            return get(spec.id()).orElseThrow();
        }
        if (spec.interactive()) {
            return createForAttach(entry);
        }
        try {
            runtime.start(JobContainers.containerSpec(entry, alsoPublishOn(entry)));
            boolean stopAsked;
            synchronized (this) {
                stopAsked = table.started(spec.id(), clock.instant());
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
    private HostJob createForAttach(JobTable.Entry entry) {
        String id = entry.id();
        try {
            runtime.create(JobContainers.containerSpec(entry, alsoPublishOn(entry)));
        } catch (ContainerRuntimeException e) {
            LOG.info("event=job.failed host={} job={} app={} reason=\"{}\"", settings.hostId(), id,
                    entry.spec().app(), e.getMessage());
            move(id, JobState.FAILED, e.getMessage(), null);
            return get(id).orElseThrow();
        }
        synchronized (this) {
            JobState state = table.job(id).map(HostJob::state).orElse(null);
            if (state == JobState.STOPPING) {
                move(id, JobState.DOWN, "stopped before anyone attached", null);
            } else if (state == JobState.STARTING) {
                table.waitForAttach(id, clock.instant());
                LOG.info("event=job.waiting-for-attach host={} job={} app={} timeout_s={}", settings.hostId(), id,
                        entry.spec().app(), settings.attachTimeout().toSeconds());
            }
        }
        return get(id).orElseThrow();
    }

    private boolean bindable(int port) {
        return bindable(settings.bindAddress(), port);
    }

    /** A fixed port is published on the bind address and the job address: both must be free. */
    private boolean fixedBindable(int port) {
        return bindable(settings.bindAddress(), port)
                && (settings.jobAddress().equals(settings.bindAddress()) || bindable(settings.jobAddress(), port));
    }

    private static boolean bindable(String address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized String alsoPublishOn(JobTable.Entry entry) {
        return table.alsoPublishOn(entry);
    }

    // ---- volumes ----

    /** This host's volumes, each with the job that mounts it now, if any. */
    public synchronized List<HostVolume> volumes() {
        return table.volumes();
    }

    public synchronized Optional<HostVolume> volume(String name) {
        return table.volume(name);
    }

    /** Reads the volumes the runtime holds for this host (they outlive the agent). */
    private void findVolumes() {
        List<VolumeInfo> found = runtime.volumes();
        synchronized (this) {
            found.forEach(v -> table.volumeMade(hostVolume(v)));
        }
        LOG.info("event=host.volumes host={} volumes={}", settings.hostId(), found.size());
    }

    private HostVolume hostVolume(VolumeInfo volume) {
        Map<String, String> labels = volume.labels();
        Integer size = null;
        Instant created = null;
        try {
            size = labels.containsKey(VOLUME_SIZE_MB) ? Integer.valueOf(labels.get(VOLUME_SIZE_MB)) : null;
            created = labels.containsKey(VOLUME_CREATED) ? Instant.parse(labels.get(VOLUME_CREATED)) : null;
        } catch (RuntimeException e) {
            LOG.debug("event=volume.labels-unreadable host={} volume={}", settings.hostId(), volume.name());
        }
        return new HostVolume(volume.name(), settings.hostId(), labels.get(VOLUME_APP), labels.get(VOLUME_PROCESS),
                labels.get(VOLUME_PATH), size, created, null);
    }

    /** Makes the job's volumes that this host does not hold yet (a volume is made once and kept). */
    private void makeVolumes(JobSpec spec) {
        for (VolumeMount mount : spec.volumes()) {
            synchronized (this) {
                if (table.volume(mount.name()).isPresent()) {
                    continue;
                }
            }
            Map<String, String> labels = new HashMap<>();
            labels.put(VOLUME_APP, spec.app());
            labels.put(VOLUME_PROCESS, spec.processType());
            labels.put(VOLUME_PATH, mount.path());
            labels.put(VOLUME_CREATED, clock.instant().toString());
            if (mount.sizeMb() != null) {
                labels.put(VOLUME_SIZE_MB, String.valueOf(mount.sizeMb()));
            }
            VolumeInfo made = runtime.createVolume(mount.name(), labels);
            synchronized (this) {
                table.volumeMade(hostVolume(made));
                publishHost();
            }
            LOG.info("event=volume.made host={} volume={} app={} process={} job={}", settings.hostId(), mount.name(),
                    spec.app(), spec.processType(), spec.id());
        }
    }

    /**
     * Deletes a volume and its data: refused (409) while a job that has not ended mounts it; the containers of ended
     * jobs that mounted it are removed first (the engine keeps a volume any container mounts). Done under the table's
     * lock, so no job can take the volume meanwhile.
     */
    public synchronized void deleteVolume(String name) {
        table.checkRemovable(name);
        for (String ended : table.endedUsers(name)) {
            remove(ended);
        }
        try {
            runtime.removeVolume(name);
        } catch (ContainerRuntimeException e) {
            throw ApiProblem.conflict("name", e.getMessage());
        }
        table.volumeRemoved(name);
        publishHost();
        LOG.info("event=volume.deleted host={} volume={}", settings.hostId(), name);
    }

    private synchronized void publishHost() {
        HostInfo host = table.host();
        events.execute(() -> listeners.forEach(listener -> {
            try {
                listener.host(host);
            } catch (RuntimeException e) {
                LOG.debug("event=listener.failed reason={}", e.getMessage());
            }
        }));
    }

    /**
     * Stops a job: it moves to {@code stopping} (web jobs leave discovery first); a web job that was serving keeps
     * running until no router sends it requests any more (the routers are asked, for at most
     * {@link #ROUTERS_WAIT}), then for the drain period, for requests already on their way; then the container
     * gets SIGTERM and, after the grace period, SIGKILL. An ended job is returned as it is.
     */
    public HostJob stop(String id) {
        boolean serving;
        String app;
        synchronized (this) {
            JobTable.Entry entry = table.entry(id).orElseThrow(() ->
                    ApiProblem.notFound("no job " + id + " on host " + settings.hostId()));
            if (!entry.state().isActive()) {
                return entry.job();
            }
            serving = entry.isWeb() && entry.state() == JobState.UP;
            app = entry.job().app();
            move(id, JobState.STOPPING, "stop requested", null);
            if (entry.waitsForAttach()) {
                // Its container never ran: nothing to signal.
                table.claim(id);
                move(id, JobState.DOWN, "stopped before anyone attached", null);
                return table.job(id).orElseThrow();
            }
        }
        if (serving && !settings.drain().isZero()) {
            // It has left discovery (in move): it serves what the routers still send it, then drains.
            drainThenStop(id, JobAnnouncements.webService(app), clock.instant());
        } else {
            stopContainer(id);
        }
        return get(id).orElseThrow();
    }

    /** How long a stopped web job waits, at most, for every router to stop sending it requests. */
    static final Duration ROUTERS_WAIT = Duration.ofSeconds(30);

    /**
     * Asks the routers every 100 ms whether they still send the job requests; once none does, the job drains for
     * the drain period and stops. When the routers cannot be asked, the drain period counts from the stop, as
     * before the routers could be asked.
     */
    private void drainThenStop(String id, String service, Instant since) {
        workers.execute(() -> {
            Optional<Boolean> routed = discovery.stillRouted(service, id);
            Duration waited = Duration.between(since, clock.instant());
            if (routed.orElse(false) && waited.compareTo(ROUTERS_WAIT) < 0) {
                timer.schedule(() -> drainThenStop(id, service, since), 100, TimeUnit.MILLISECONDS);
                return;
            }
            long drain = settings.drain().toMillis();
            if (routed.isEmpty()) {
                drain = Math.max(0, drain - waited.toMillis());
            } else if (routed.get()) {
                LOG.warn("event=job.still-routed host={} job={} waited_ms={}", settings.hostId(), id, waited.toMillis());
            } else {
                LOG.info("event=job.unrouted host={} job={} after_ms={}", settings.hostId(), id, waited.toMillis());
            }
            timer.schedule(() -> stopContainer(id), drain, TimeUnit.MILLISECONDS);
        });
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
            table.remove(id);
            HostInfo host = table.host();
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
            JobTable.Entry entry = table.entry(id).orElseThrow(() ->
                    ApiProblem.notFound("no job " + id + " on host " + settings.hostId()));
            if (!entry.spec().interactive()) {
                throw ApiProblem.conflict("id", "job " + id + " was not started interactive: nothing to attach to "
                        + "(read its output from its log)");
            }
            if (!entry.state().isActive()) {
                throw ApiProblem.conflict("id", "job " + id + " is " + entry.state().wireName()
                        + (entry.job().reason() == null ? "" : " (" + entry.job().reason() + ")"));
            }
            starts = entry.waitsForAttach();
            if (starts) {
                table.claim(id);
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
        boolean stopAsked;
        synchronized (this) {
            stopAsked = table.started(id, clock.instant());
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
            late = table.unattached(now, settings.attachTimeout());
            for (String id : late) {
                table.claim(id);
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

    private synchronized void removedOutside(String id) {
        table.job(id).filter(job -> !job.state().isTerminal()).ifPresent(job ->
                move(id, job.state() == JobState.STOPPING ? JobState.DOWN : JobState.CRASHED,
                        "container removed outside the agent", null));
    }

    /** Reads a job's container and moves the job to how it ended, when it has. */
    void refresh(String id) {
        refresh(id, false);
    }

    /**
     * As {@link #refresh(String)}; a container killed by SIGKILL that the engine has not (yet) flagged out of memory
     * is looked at again after {@link #OOM_SECOND_LOOK} before the job is called crashed (see
     * {@link JobEnding#mayYetTurnOutOutOfMemory}); {@code secondLook} is that look, which decides either way.
     */
    private void refresh(String id, boolean secondLook) {
        Optional<ContainerInfo> info;
        try {
            info = runtime.inspect(id);
        } catch (RuntimeException e) {
            LOG.warn("event=job.inspect-failed host={} job={} reason=\"{}\"", settings.hostId(), id, e.getMessage());
            return;
        }
        synchronized (this) {
            Optional<JobTable.Entry> found = table.entry(id);
            if (found.isEmpty() || found.get().state().isTerminal()) {
                return;
            }
            JobTable.Entry entry = found.get();
            if (info.isEmpty()) {
                if (entry.started()) {
                    removedOutside(id);
                }
                return;
            }
            ContainerInfo container = info.get();
            if (container.status() == ContainerInfo.Status.EXITED
                    || (container.status() == ContainerInfo.Status.CREATED && entry.started())) {
                boolean stopping = entry.state() == JobState.STOPPING;
                if (!secondLook && JobEnding.mayYetTurnOutOutOfMemory(container, stopping)) {
                    timer.schedule(() -> workers.execute(() -> refresh(id, true)), OOM_SECOND_LOOK.toMillis(),
                            TimeUnit.MILLISECONDS);
                    return;
                }
                JobEnding ending = JobEnding.of(container, stopping, entry.spec().memoryMb());
                move(id, ending.state(), ending.reason(), ending.exitStatus());
            }
        }
    }

    private void reconcileSafely() {
        try {
            List<String> running;
            synchronized (this) {
                running = table.runningContainers();
            }
            running.forEach(this::refresh);
        } catch (RuntimeException e) {
            LOG.warn("event=job.reconcile-failed host={} reason=\"{}\"", settings.hostId(), e.getMessage());
        }
    }

    // ---- health ----

    /** Moves starting jobs whose container runs and whose port serves to up; gives up after the timeout. */
    private void checkStarting() {
        failUnattached(clock.instant());
        List<JobTable.Entry> starting;
        synchronized (this) {
            starting = table.startingWithContainer();
        }
        health.checkStarting(starting, clock.instant());
    }

    /**
     * Checks up jobs with a port every health interval; after {@link HealthChecks#FAILURES_TO_CRASH} failures in a
     * row the job is crashed ("health check failed while up") and its container stopped, so the scheduler
     * replaces it.
     */
    private void checkUp() {
        List<JobTable.Entry> up;
        synchronized (this) {
            up = table.upWithPort();
        }
        health.checkUp(up, clock.instant());
    }

    private synchronized void passedHealthCheck(String id) {
        if (table.job(id).map(HostJob::state).orElse(null) == JobState.STARTING) {
            move(id, JobState.UP, null, null);
        }
    }

    private void crashUnhealthy(String id) {
        synchronized (this) {
            if (table.job(id).map(HostJob::state).orElse(null) != JobState.UP) {
                return;
            }
            String check = table.entry(id).map(e -> HealthChecks.describe(e.spec())).orElse("its health check");
            move(id, JobState.CRASHED, "health check (" + check + ") failed " + HealthChecks.FAILURES_TO_CRASH
                    + " times in a row while up", null);
        }
        LOG.info("event=job.unhealthy host={} job={} state=up", settings.hostId(), id);
        stopContainer(id);
    }

    private void failHealthCheck(String id, Duration timeout) {
        synchronized (this) {
            if (table.job(id).map(HostJob::state).orElse(null) != JobState.STARTING) {
                return;
            }
            String check = table.entry(id).map(e -> HealthChecks.describe(e.spec())).orElse("its health check");
            move(id, JobState.CRASHED, "health check (" + check + ") did not pass within " + timeout.toSeconds()
                    + " s", null);
        }
        LOG.info("event=job.unhealthy host={} job={} timeout_s={}", settings.hostId(), id, timeout.toSeconds());
        try {
            runtime.stop(id, settings.stopGrace());
        } catch (RuntimeException e) {
            LOG.warn("event=job.stop-failed host={} job={} reason=\"{}\"", settings.hostId(), id, e.getMessage());
        }
    }

    // ---- state changes ----

    /**
     * Moves a job along the state table, then announces or withdraws it and publishes the change; an illegal move
     * is logged and ignored.
     */
    private synchronized void move(String id, JobState next, String reason, Integer exitStatus) {
        JobTable.Move move = table.move(id, next, reason, exitStatus, clock.instant());
        if (move.kind() == JobTable.Move.Kind.ILLEGAL) {
            LOG.warn("event=job.illegal-move host={} job={} from={} to={}", settings.hostId(), id,
                    move.from().wireName(), next.wireName());
            return;
        }
        if (!move.moved()) {
            return;
        }
        HostJob job = move.job();
        LOG.info("event=job.state host={} job={} app={} from={} to={} reason=\"{}\"", settings.hostId(), id,
                job.app(), move.from().wireName(), next.wireName(), reason == null ? "" : reason);
        announcements.moved(move);
        publish(job);
    }

    private synchronized void publish(HostJob job) {
        HostInfo host = table.host();
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
            JobTable.Adoption adoption;
            synchronized (this) {
                adoption = table.adopt(container, clock.instant());
                if (adoption.adopted()) {
                    publish(adoption.entry().job());
                }
            }
            if (adoption.refused()) {
                LOG.warn("event=job.not-adopted host={} job={} reason=\"{}\"", settings.hostId(), container.jobId(),
                        adoption.refusal());
                continue;
            }
            if (!adoption.adopted()) {
                continue;
            }
            adopted++;
            HostJob job = adoption.entry().job();
            LOG.info("event=job.adopted host={} job={} app={} state={}", settings.hostId(), job.id(), job.app(),
                    job.state().wireName());
        }
        LOG.info("event=host.adopted host={} containers={} jobs={}", settings.hostId(), containers.size(), adopted);
    }
}
