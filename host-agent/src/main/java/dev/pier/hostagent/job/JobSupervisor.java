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
import dev.pier.hostagent.runtime.PortReservations;
import dev.pier.hostagent.runtime.Sandboxes;
import dev.pier.hostagent.runtime.VolumeInfo;
import dev.pier.web.ApiProblem;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's jobs, in action: the coordinator between the {@link JobTable} (pure: what a job is, what each event
 * makes of it, what that implies), the {@link ContainerRuntime} (the containers and volumes), the
 * {@link HealthChecks} (the probing), the {@link JobAnnouncements} and {@link JobDrain} (discovery), and the
 * {@link JobChanges} (the listeners). It starts jobs as containers, follows their containers to how they end,
 * stops them, and on start-up rebuilds the table from the runtime's labels alone (running containers are adopted,
 * not restarted). Every change moves along {@link JobState#canMoveTo} and is published, in order, to the listeners
 * (the SSE stream) on the event thread. The table is guarded by this object's lock; the runtime is called outside
 * it, except where noted.
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

    /** Receives job changes and host updates, in order, on the supervisor's event thread. */
    public interface Listener {
        void job(HostJob job);

        void host(HostInfo host);

        /** An ended job was removed with its container. */
        void removed(String jobId);
    }

    /** How long after a SIGKILL exit the engine is given to report that it was the OOM killer's. */
    static final Duration OOM_SECOND_LOOK = Duration.ofSeconds(1);

    private final ContainerRuntime runtime;
    private final Settings settings;
    private final Clock clock;
    private final JobTable table;
    private final FreePorts freePorts;
    private final JobChanges changes = new JobChanges();
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("pier-job-worker"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("pier-job-timer"));
    private final JobAnnouncements announcements;
    private final JobDrain drain;
    private final HealthChecks health;
    private Closeable containerEvents;
    private volatile Sandboxes webSandboxes = Sandboxes.NONE;

    public JobSupervisor(ContainerRuntime runtime, Settings settings, Discovery discovery, Clock clock) {
        this.runtime = runtime;
        this.settings = settings;
        this.clock = clock;
        this.table = new JobTable(settings.hostId(), settings.url(), settings.bindAddress(), settings.jobAddress(),
                settings.ports(), settings.totalMemoryMb());
        this.freePorts = new FreePorts(settings.bindAddress(), settings.jobAddress());
        this.announcements = new JobAnnouncements(discovery, changes.thread());
        this.drain = new JobDrain(discovery, clock, settings.drain(), settings.hostId(), workers, timer,
                this::stopContainer);
        this.health = new HealthChecks(new HealthProbe(), runtime::binding, settings.bindAddress(),
                settings.healthTimeout(), settings.healthInterval(), workers,
                new HealthChecks.Verdicts() {
                    @Override
                    public void passed(String jobId) {
                        passedHealthCheck(jobId);
                    }

                    @Override
                    public void neverPassed(String jobId, Duration timeout, String finding) {
                        failHealthCheck(jobId, timeout, finding);
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

    /**
     * Web jobs start in {@code pool}'s sandboxes that publish their port ahead ({@link Sandboxes#claimPublishing}),
     * whose ports the job table reserves: the pool is given the reservations once this supervisor has adopted what
     * the runtime runs (before that, a reservation could pick the port of a job not adopted yet).
     */
    public void useWebSandboxes(Sandboxes pool) {
        this.webSandboxes = pool;
    }

    /** The job table's reservations of ports for sandboxes. */
    private PortReservations reservations() {
        return new PortReservations() {
            @Override
            public Optional<Integer> reserve() {
                synchronized (JobSupervisor.this) {
                    return table.reserve(freePorts::onBindAddress);
                }
            }

            @Override
            public void free(int port) {
                synchronized (JobSupervisor.this) {
                    table.free(port);
                }
            }
        };
    }

    /** Subscribes to the runtime's events, adopts what the runtime already runs, and starts health checks. */
    public void open() {
        containerEvents = runtime.events(this::onContainerEvent);
        findVolumes();
        adopt();
        webSandboxes.publishWith(reservations());
        timer.scheduleWithFixedDelay(this::checkStarting, 100, 100, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::reconcileSafely, 5, 5, TimeUnit.SECONDS);
        // each up job is checked at its own interval (its release's, else the agent's): look often enough for both
        long interval = Math.min(settings.healthInterval().toMillis(), 1000);
        timer.scheduleWithFixedDelay(this::checkUp, interval, interval, TimeUnit.MILLISECONDS);
        announcements.host(host());
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
        changes.close();
    }

    public String hostId() {
        return settings.hostId();
    }

    public void addListener(Listener listener) {
        changes.add(listener);
    }

    public void removeListener(Listener listener) {
        changes.remove(listener);
    }

    /**
     * Runs {@code task} on the event thread, after every change published so far: a new subscriber sends its
     * snapshot from here, so it misses nothing.
     */
    public void onEventThread(Runnable task) {
        changes.thread().execute(task);
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

    // ---- starting ----

    /** Starts a job (idempotent on its id). Throws {@link ApiProblem} for a conflict or a full host. */
    public HostJob start(JobSpec spec) {
        JobTable.Entry entry;
        synchronized (this) {
            Optional<HostJob> known = table.known(spec);
            if (known.isPresent()) {
                return known.get();
            }
        }
        // a web job joins a sandbox whose port is published already, when one is ready (asked of the engine: unlocked)
        Sandboxes.Published sandbox = spec.port() != null && spec.fixedHostPort() == null && !spec.interactive()
                ? webSandboxes.claimPublishing(spec.port()).orElse(null) : null;
        synchronized (this) {
            try {
                Optional<HostJob> known = table.known(spec);
                if (known.isPresent()) {
                    giveBack(sandbox, true);
                    return known.get();
                }
                entry = table.admit(spec, clock.instant(), freePorts::onBindAddress, freePorts::onEveryAddress,
                        sandbox == null ? null : sandbox.hostPort());
            } catch (RuntimeException e) {
                giveBack(sandbox, true);
                throw e;
            }
            if (sandbox != null && !Integer.valueOf(sandbox.hostPort()).equals(entry.hostPort())) {
                giveBack(sandbox, false); // its port was not reserved any more: the job publishes its own
                sandbox = null;
            }
            changes.job(entry.job(), table.host());
            move(spec.id(), JobState.STARTING, null, null);
        }
        try {
            makeVolumes(spec);
        } catch (ContainerRuntimeException e) {
            if (sandbox != null) {
                webSandboxes.release(sandbox.name());
            }
            return failed(spec.id(), e);
        }
        if (spec.interactive()) {
            return createForAttach(entry);
        }
        try {
            var container = JobContainers.containerSpec(entry, alsoPublishOn(entry));
            runtime.start(sandbox == null ? container : container.inSandbox(sandbox.name()));
            containerStarted(spec.id());
            LOG.info("event=job.started host={} job={} app={} process={} address={}", settings.hostId(), spec.id(),
                    spec.app(), spec.processType(), entry.job().address());
        } catch (ContainerRuntimeException e) {
            return failed(spec.id(), e);
        }
        return get(spec.id()).orElseThrow();
    }

    /** A claimed sandbox no job took: removed, and its port back to the range unless a job holds it. */
    private void giveBack(Sandboxes.Published sandbox, boolean stillReserved) {
        if (sandbox != null) {
            webSandboxes.release(sandbox.name());
            if (stillReserved) {
                table.free(sandbox.hostPort());
            }
        }
    }

    /** The runtime could not do what the job needs: it failed, with the runtime's reason. */
    private HostJob failed(String id, ContainerRuntimeException e) {
        LOG.info("event=job.failed host={} job={} app={} reason=\"{}\"", settings.hostId(), id,
                get(id).map(HostJob::app).orElse(null), e.getMessage());
        move(id, JobState.FAILED, e.getMessage(), null);
        return get(id).orElseThrow();
    }

    /** A job's container runs; one stopped while its container was being made is stopped now that it exists. */
    private void containerStarted(String id) {
        boolean stopAsked;
        synchronized (this) {
            stopAsked = table.started(id, clock.instant());
        }
        if (stopAsked) {
            stopContainer(id);
        }
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
            return failed(id, e);
        }
        synchronized (this) {
            JobTable.Move stopped = table.createdForAttach(id, clock.instant());
            applied(stopped);
            if (table.entry(id).map(JobTable.Entry::waitsForAttach).orElse(false)) {
                LOG.info("event=job.waiting-for-attach host={} job={} app={} timeout_s={}", settings.hostId(), id,
                        entry.spec().app(), settings.attachTimeout().toSeconds());
            }
            return table.job(id).orElseThrow();
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
            found.forEach(v -> table.volumeMade(JobVolumes.hostVolume(settings.hostId(), v)));
        }
        LOG.info("event=host.volumes host={} volumes={}", settings.hostId(), found.size());
    }

    /** Makes the job's volumes that this host does not hold yet (a volume is made once and kept). */
    private void makeVolumes(JobSpec spec) {
        for (VolumeMount mount : spec.volumes()) {
            synchronized (this) {
                if (table.volume(mount.name()).isPresent()) {
                    continue;
                }
            }
            VolumeInfo made = runtime.createVolume(mount.name(), JobVolumes.labels(spec, mount, clock.instant()));
            synchronized (this) {
                table.volumeMade(JobVolumes.hostVolume(settings.hostId(), made));
                changes.host(table.host());
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
        changes.host(table.host());
        LOG.info("event=volume.deleted host={} volume={}", settings.hostId(), name);
    }

    // ---- stopping and removing ----

    /**
     * Stops a job: it moves to {@code stopping} (web jobs leave discovery first); a web job that was serving keeps
     * running until no router sends it requests any more, then for the drain period ({@link JobDrain}); then the
     * container gets SIGTERM and, after the grace period, SIGKILL. An ended job is returned as it is.
     */
    public HostJob stop(String id) {
        JobTable.Stop stop;
        String app;
        synchronized (this) {
            stop = table.stop(id, clock.instant());
            stop.moves().forEach(this::applied);
            app = table.job(id).orElseThrow().app();
        }
        switch (stop.signal()) {
            case DRAIN_THEN_STOP -> {
                if (drain.drains()) {
                    drain.drainThenStop(id, JobAnnouncements.webService(app));
                } else {
                    stopContainer(id);
                }
            }
            case STOP -> stopContainer(id);
            case NONE -> {
                // ended already, or its container never ran: nothing to signal
            }
        }
        return get(id).orElseThrow();
    }

    /** SIGTERM, SIGKILL after the grace period, on a worker; then reads how the container ended. */
    private void stopContainer(String id) {
        workers.execute(() -> {
            stopNow(id);
            refresh(id);
        });
    }

    private void stopNow(String id) {
        try {
            runtime.stop(id, settings.stopGrace());
        } catch (RuntimeException e) {
            LOG.warn("event=job.stop-failed host={} job={} reason=\"{}\"", settings.hostId(), id, e.getMessage());
        }
    }

    /** Forgets an ended job and removes its container and logs. */
    public void remove(String id) {
        synchronized (this) {
            table.remove(id);
            changes.removed(id, table.host());
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

    // ---- attaching ----

    /**
     * Attaches to an interactive job. The first attach to a job waiting for one starts its container once attached
     * (so it misses nothing); later ones join a running job and see its output from then on. A job that was not
     * started {@code interactive} has nothing to attach to (its output is in its logs).
     */
    public ContainerRuntime.Attachment attach(String id, Consumer<byte[]> output, Runnable onEnd) {
        boolean starts;
        synchronized (this) {
            starts = table.attaching(id);
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
            failed(id, e);
            attachment.close();
            throw e;
        }
        containerStarted(id);
        LOG.info("event=job.started host={} job={} attached=true", settings.hostId(), id);
    }

    /** Fails interactive jobs that nobody attached to within the attach timeout. */
    private void failUnattached() {
        List<JobTable.Move> failed;
        synchronized (this) {
            failed = table.failUnattached(clock.instant(), settings.attachTimeout());
            failed.forEach(this::applied);
        }
        failed.forEach(move -> LOG.info("event=job.unattached host={} job={}", settings.hostId(), move.jobId()));
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
        applied(table.removedOutside(id, clock.instant()));
    }

    /** Reads a job's container and moves the job to how it ended, when it has. */
    void refresh(String id) {
        refresh(id, false);
    }

    /**
     * As {@link #refresh(String)}; a container killed by SIGKILL that the engine has not (yet) flagged out of memory
     * is looked at again after {@link #OOM_SECOND_LOOK} before the job is called crashed (see
     * {@link JobTable#containerSeen}); {@code secondLook} is that look, which decides either way.
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
            JobTable.Sighting seen = table.containerSeen(id, info, secondLook, clock.instant());
            if (seen.looksAgain()) {
                timer.schedule(() -> workers.execute(() -> refresh(id, true)), OOM_SECOND_LOOK.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            applied(seen.move());
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
        failUnattached();
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
        applied(table.healthy(id, clock.instant()));
    }

    private void crashUnhealthy(String id) {
        synchronized (this) {
            if (!applied(table.unhealthyWhileUp(id, clock.instant()))) {
                return;
            }
        }
        LOG.info("event=job.unhealthy host={} job={} state=up", settings.hostId(), id);
        stopContainer(id);
    }

    private void failHealthCheck(String id, Duration timeout, String finding) {
        synchronized (this) {
            if (!applied(table.neverHealthy(id, timeout, finding, clock.instant()))) {
                return;
            }
        }
        LOG.info("event=job.unhealthy host={} job={} timeout_s={}", settings.hostId(), id, timeout.toSeconds());
        stopNow(id);
    }

    // ---- state changes ----

    /** Moves a job along the state table and acts on the move ({@link #applied}). */
    private synchronized void move(String id, JobState next, String reason, Integer exitStatus) {
        applied(table.move(id, next, reason, exitStatus, clock.instant()));
    }

    /**
     * Acts on a move the table made: logs it, announces or withdraws the job, and publishes the change; an illegal
     * move is logged (the table changed nothing). True when the job moved.
     */
    private synchronized boolean applied(JobTable.Move move) {
        if (move.kind() == JobTable.Move.Kind.ILLEGAL) {
            LOG.warn("event=job.illegal-move host={} job={} from={} to={}", settings.hostId(), move.jobId(),
                    move.from().wireName(), move.to().wireName());
            return false;
        }
        if (!move.moved()) {
            return false;
        }
        HostJob job = move.job();
        LOG.info("event=job.state host={} job={} app={} from={} to={} reason=\"{}\"", settings.hostId(), move.jobId(),
                job.app(), move.from().wireName(), move.to().wireName(), job.reason() == null ? "" : job.reason());
        announcements.moved(move);
        changes.job(job, move.host());
        return true;
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
                    changes.job(adoption.entry().job(), table.host());
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
