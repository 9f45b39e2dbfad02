package dev.pier.hostagent.job;

import dev.pier.api.JobState;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.HostVolume;
import dev.pier.api.host.VolumeMount;
import dev.pier.api.host.JobSpec;
import dev.pier.hostagent.runtime.ContainerInfo;
import dev.pier.web.ApiProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * This host's job table: for each job, what was asked (its spec), what it is now (its {@link HostJob}), its
 * published port, and how far its start got. Every change of a job's state moves along
 * {@link JobState#canMoveTo} and is returned as a {@link Move} for the caller to act on (log, publish, announce);
 * each event the agent learns of (a health verdict, a container seen exited or gone, a stop or an attach asked for)
 * is decided here, races included, and returns what it implies for the container. Pure: no I/O, no threads, time
 * passed in; not thread-safe (its owner, {@link JobSupervisor}, guards it).
 */
public final class JobTable {

    /**
     * One job: what was asked, what it is now, its published port, whether its container was started, and whether
     * its created container waits for its first attach (an interactive job) since {@code startingSince}.
     */
    public record Entry(JobSpec spec, HostJob job, Integer hostPort, boolean started, Instant startingSince,
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

        public String id() {
            return job.id();
        }

        public JobState state() {
            return job.state();
        }

        /** A {@code web} job with a published port: routers send it requests while up. */
        public boolean isWeb() {
            return "web".equals(spec.processType()) && hostPort != null;
        }

        /** Announced in discovery while up: a web job, or a job published at a fixed port of its host. */
        public boolean isAnnounced() {
            return hostPort != null && (isWeb() || spec.fixedHostPort() != null);
        }

        /** Whether this job mounts the volume {@code name}. */
        public boolean mounts(String name) {
            return spec.volumes().stream().anyMatch(v -> v.name().equals(name));
        }
    }

    /**
     * What a {@link #move} did: {@code MOVED} (with the state it left, the job as it is now and the host as the move
     * left it), {@code UNCHANGED} (no such job, already in that state, or not in the state the change applies to) or
     * {@code ILLEGAL} (the state table forbids it; nothing changed).
     */
    public record Move(Kind kind, String jobId, JobState from, JobState to, HostJob job, boolean web,
                       String jobAddress, HostInfo host) {
        public enum Kind { MOVED, UNCHANGED, ILLEGAL }

        public boolean moved() {
            return kind == Kind.MOVED;
        }

        /** An announced job (see {@link Entry#isAnnounced}) came up: announce it. */
        public boolean announces() {
            return moved() && web && to == JobState.UP;
        }

        /** An announced job left up (stopping or crashed): withdraw it before anything else happens to it. */
        public boolean withdraws() {
            return moved() && web && from == JobState.UP;
        }
    }

    /**
     * What a look at a job's container found: the move it implies (the job's ending, or none), or that the container
     * is to be looked at again a moment later before it is judged (see {@link JobEnding#mayYetTurnOutOutOfMemory}).
     */
    public record Sighting(Move move, boolean looksAgain) {
    }

    /** What a stop asked for does to the container once the job's moves are made. */
    public enum Signal {
        /** Nothing to signal: the job had ended, or its container never ran. */
        NONE,
        /** SIGTERM now, SIGKILL after the grace period. */
        STOP,
        /** A web job that was serving: stop it once the routers no longer send it requests, and it has drained. */
        DRAIN_THEN_STOP
    }

    /** What a stop asked for did: the job's moves, in order, and what is to be done to its container. */
    public record Stop(List<Move> moves, Signal signal) {
    }

    /**
     * How a container found on start-up joins the table: adopted (its entry), refused (why), or neither, for a job
     * the table already has.
     */
    public record Adoption(Entry entry, String refusal) {
        public boolean adopted() {
            return entry != null;
        }

        public boolean refused() {
            return refusal != null;
        }
    }

    private final String hostId;
    private final String url;
    private final String bindAddress;
    private final String jobAddress;
    private final PortRange ports;
    private final long totalMemoryMb;
    private final Map<String, Entry> jobs = new LinkedHashMap<>();
    /** This host's volumes as made (no job in them: {@link #volumes} tells who uses each). */
    private final Map<String, HostVolume> volumes = new TreeMap<>();
    private int lastPort;
    /** Ports of the range that network sandboxes publish ahead of the web jobs that will take them. */
    private final Set<Integer> reserved = new HashSet<>();

    public JobTable(String hostId, String url, String bindAddress, PortRange ports, long totalMemoryMb) {
        this(hostId, url, bindAddress, bindAddress, ports, totalMemoryMb);
    }

    /** {@code jobAddress}: where containers reach ports this host publishes (a fixed port is published there too). */
    public JobTable(String hostId, String url, String bindAddress, String jobAddress, PortRange ports,
                    long totalMemoryMb) {
        this.hostId = hostId;
        this.url = url;
        this.bindAddress = bindAddress;
        this.jobAddress = jobAddress == null ? bindAddress : jobAddress;
        this.ports = ports;
        this.totalMemoryMb = totalMemoryMb;
        this.lastPort = ports.first() - 1;
    }

    public String hostId() {
        return hostId;
    }

    public List<HostJob> jobs() {
        return jobs.values().stream().map(Entry::job).toList();
    }

    public Optional<HostJob> job(String id) {
        return entry(id).map(Entry::job);
    }

    public Optional<Entry> entry(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** This host's capacity and what its active jobs (all but the ended ones) hold of it. */
    public HostInfo host() {
        long allocated = 0;
        int active = 0;
        for (Entry entry : jobs.values()) {
            if (holdsResources(entry.state())) {
                active++;
                allocated += entry.spec().memoryMb() == null ? 0 : entry.spec().memoryMb();
            }
        }
        return new HostInfo(hostId, url, totalMemoryMb, allocated, active, volumes());
    }

    /** The host's volumes, each with the job that mounts it now (one that has not ended), if any. */
    public List<HostVolume> volumes() {
        return volumes.values().stream().map(v -> v.withJob(user(v.name()).map(Entry::id).orElse(null))).toList();
    }

    public Optional<HostVolume> volume(String name) {
        return Optional.ofNullable(volumes.get(name)).map(v -> v.withJob(user(v.name()).map(Entry::id).orElse(null)));
    }

    /** The job not yet ended that mounts the volume, if any. */
    public Optional<Entry> user(String volume) {
        return jobs.values().stream().filter(e -> !e.state().isTerminal() && e.mounts(volume)).findFirst();
    }

    /** Ended jobs whose containers still mount the volume. */
    public List<String> endedUsers(String volume) {
        return jobs.values().stream().filter(e -> e.state().isTerminal() && e.mounts(volume)).map(Entry::id).toList();
    }

    /** A volume this host holds (made now, or found on start-up). */
    public void volumeMade(HostVolume volume) {
        volumes.put(volume.name(), volume.withJob(null));
    }

    /** A volume deleted; one in use by a job not yet ended is a conflict, an unknown one not found. */
    public HostVolume volumeRemoved(String name) {
        HostVolume volume = volumes.get(name);
        if (volume == null) {
            throw ApiProblem.notFound("no volume " + name + " on host " + hostId);
        }
        Optional<Entry> user = user(name);
        if (user.isPresent()) {
            throw ApiProblem.conflict("name", "volume " + name + " is in use by job " + user.get().id() + " ("
                    + user.get().state().wireName() + ") on host " + hostId + "; stop the job first");
        }
        volumes.remove(name);
        return volume;
    }

    /** Whether a volume may be deleted now: it exists and no job not yet ended mounts it (else the problem). */
    public void checkRemovable(String name) {
        HostVolume volume = volumes.get(name);
        if (volume == null) {
            throw ApiProblem.notFound("no volume " + name + " on host " + hostId);
        }
        user(name).ifPresent(user -> {
            throw ApiProblem.conflict("name", "volume " + name + " is in use by job " + user.id() + " ("
                    + user.state().wireName() + ") on host " + hostId + "; stop the job first");
        });
    }

    /** The address other jobs reach a job published at a fixed port on: {@code jobAddress:port}; else null. */
    public String jobAddressOf(Entry entry) {
        return entry.spec().fixedHostPort() == null || entry.hostPort() == null ? null
                : jobAddress + ":" + entry.hostPort();
    }

    /** The address a job published at a fixed port is also published on, when it differs from the bind address. */
    public String alsoPublishOn(Entry entry) {
        return entry.spec().fixedHostPort() == null || jobAddress.equals(bindAddress) ? null : jobAddress;
    }

    private static boolean holdsResources(JobState state) {
        return !state.isTerminal();
    }

    /**
     * The job already known by {@code spec}'s id when it was asked with the same spec (a start is idempotent on
     * its id); empty when the id is new. The same id with another spec is a conflict.
     */
    public Optional<HostJob> known(JobSpec spec) {
        Entry existing = jobs.get(spec.id());
        if (existing == null) {
            return Optional.empty();
        }
        if (existing.spec().equals(spec)) {
            return Optional.of(existing.job());
        }
        throw ApiProblem.conflict("id", "job " + spec.id() + " already exists on host " + hostId
                + " with a different spec");
    }

    /**
     * Takes a new job in, {@code pending}, with the memory it asks for and (when it publishes one) a port of the
     * range that no active job holds and {@code bindable} accepts, picked after the last one given out so a freed
     * port is not reused at once. A host without the memory or a port for it is unavailable.
     */
    public Entry admit(JobSpec spec, Instant now, IntPredicate bindable) {
        return admit(spec, now, bindable, bindable);
    }

    /**
     * As {@link #admit(JobSpec, Instant, IntPredicate)}; a job with a fixed host port gets exactly that port, when no
     * active job holds it and {@code fixedBindable} accepts it (on every address it is published on), else a conflict
     * naming the port; a job whose volume another job not yet ended mounts is a conflict too.
     */
    public Entry admit(JobSpec spec, Instant now, IntPredicate bindable, IntPredicate fixedBindable) {
        return admit(spec, now, bindable, fixedBindable, null);
    }

    /**
     * As {@link #admit(JobSpec, Instant, IntPredicate, IntPredicate)}; a job with a port (not a fixed one) gets
     * {@code published} when it is a {@link #reserve reserved} port (a network sandbox publishes it already), which
     * is then no longer reserved but the job's.
     */
    public Entry admit(JobSpec spec, Instant now, IntPredicate bindable, IntPredicate fixedBindable,
                       Integer published) {
        HostInfo host = host();
        int memory = spec.memoryMb() == null ? 0 : spec.memoryMb();
        if (host.allocatedMemoryMb() + memory > totalMemoryMb) {
            throw ApiProblem.unavailable("host " + hostId + " has " + (totalMemoryMb - host.allocatedMemoryMb())
                    + " MB of memory free; job " + spec.id() + " asks for " + memory);
        }
        for (VolumeMount mount : spec.volumes()) {
            Optional<Entry> user = user(mount.name());
            if (user.isPresent()) {
                throw ApiProblem.conflict("volumes", "volume " + mount.name() + " is in use by job "
                        + user.get().id() + " (" + user.get().state().wireName() + ") on host " + hostId);
            }
        }
        Integer hostPort = null;
        if (spec.port() != null && spec.fixedHostPort() != null) {
            int fixed = spec.fixedHostPort();
            Optional<Entry> holder = jobs.values().stream()
                    .filter(e -> holdsResources(e.state()) && Integer.valueOf(fixed).equals(e.hostPort())).findFirst();
            if (holder.isPresent()) {
                throw ApiProblem.conflict("fixed_host_port", "port " + fixed + " of host " + hostId
                        + " is taken by job " + holder.get().id());
            }
            if (!fixedBindable.test(fixed)) {
                throw ApiProblem.conflict("fixed_host_port", "port " + fixed + " of host " + hostId + " is taken by "
                        + "another program (it cannot be bound on " + (jobAddress.equals(bindAddress) ? bindAddress
                        : bindAddress + " and " + jobAddress) + ")");
            }
            hostPort = fixed;
        } else if (spec.port() != null && published != null && reserved.remove(published)) {
            hostPort = published;
        } else if (spec.port() != null) {
            hostPort = ports.pick(takenPorts(), lastPort, bindable).orElseThrow(() ->
                    ApiProblem.unavailable("host " + hostId + " has no free port in " + ports.first() + "-"
                            + ports.last()));
            lastPort = hostPort;
        }
        HostJob job = new HostJob(spec.id(), hostId, spec.app(), spec.releaseId(), spec.processType(), spec.image(),
                JobState.PENDING, null, null, hostPort == null ? null : bindAddress + ":" + hostPort, spec.memoryMb(),
                now, now, spec.volumes().stream().map(VolumeMount::name).toList());
        Entry entry = new Entry(spec, job, hostPort, false, now, false);
        jobs.put(spec.id(), entry);
        return entry;
    }

    /** The ports of the range held by a job not ended, or reserved for a sandbox. */
    private Set<Integer> takenPorts() {
        Set<Integer> taken = new HashSet<>(reserved);
        jobs.values().stream().filter(e -> holdsResources(e.state()) && e.hostPort() != null)
                .forEach(e -> taken.add(e.hostPort()));
        return taken;
    }

    /**
     * A free port of the range for a network sandbox to publish ahead of a web job: no job holds it, none is reserved
     * already, and {@code bindable} accepts it. Held, and never given to another job, until a job's admission takes it
     * or {@link #free} gives it back; empty when the range has none free.
     */
    public Optional<Integer> reserve(IntPredicate bindable) {
        Optional<Integer> port = ports.pick(takenPorts(), lastPort, bindable);
        port.ifPresent(p -> {
            reserved.add(p);
            lastPort = p;
        });
        return port;
    }

    /** A reserved port goes back to the range (its sandbox was removed before any job took it). */
    public void free(int port) {
        reserved.remove(port);
    }

    /** The ports reserved for sandboxes now. */
    public Set<Integer> reserved() {
        return Set.copyOf(reserved);
    }

    /**
     * Moves a job along the state table. The state table is the only judge: an illegal move changes nothing and
     * says so.
     */
    public Move move(String id, JobState next, String reason, Integer exitStatus, Instant at) {
        Entry entry = jobs.get(id);
        if (entry == null || entry.state() == next) {
            return new Move(Move.Kind.UNCHANGED, id, entry == null ? null : entry.state(), next,
                    entry == null ? null : entry.job(), entry != null && entry.isAnnounced(), null, null);
        }
        JobState previous = entry.state();
        if (!previous.canMoveTo(next)) {
            return new Move(Move.Kind.ILLEGAL, id, previous, next, entry.job(), entry.isAnnounced(), null, null);
        }
        HostJob job = entry.job().moveTo(next, reason, exitStatus, at);
        jobs.put(id, entry.with(job));
        return new Move(Move.Kind.MOVED, id, previous, next, job, entry.isAnnounced(), jobAddressOf(entry), host());
    }

    /** No change: the job is unknown, or not in the state the change applies to. */
    private Move unchanged(String id) {
        Entry entry = jobs.get(id);
        JobState state = entry == null ? null : entry.state();
        return new Move(Move.Kind.UNCHANGED, id, state, state, entry == null ? null : entry.job(),
                entry != null && entry.isAnnounced(), null, null);
    }

    private JobState stateOf(String id) {
        Entry entry = jobs.get(id);
        return entry == null ? null : entry.state();
    }

    // ---- what the health checks found ----

    /** A starting job passed its health check: it is up (a job in any other state stays as it is). */
    public Move healthy(String id, Instant at) {
        return stateOf(id) == JobState.STARTING ? move(id, JobState.UP, null, null, at) : unchanged(id);
    }

    /**
     * A starting job did not pass its health check within {@code timeout}: it crashed, naming the check and what was
     * found ({@code finding}, or null), a job that left starting meanwhile, stopped or up, stays as it is. Its
     * container is to be stopped.
     */
    public Move neverHealthy(String id, Duration timeout, String finding, Instant at) {
        if (stateOf(id) != JobState.STARTING) {
            return unchanged(id);
        }
        return move(id, JobState.CRASHED, "health check (" + HealthChecks.describe(jobs.get(id).spec())
                + ") did not pass within " + timeout.toSeconds() + " s" + (finding == null ? "" : ": " + finding),
                null, at);
    }

    /**
     * An up job failed {@link HealthChecks#FAILURES_TO_CRASH} health checks in a row: it crashed, naming the check, so
     * the scheduler replaces it (a job no longer up stays as it is). Its container is to be stopped.
     */
    public Move unhealthyWhileUp(String id, Instant at) {
        if (stateOf(id) != JobState.UP) {
            return unchanged(id);
        }
        return move(id, JobState.CRASHED, "health check (" + HealthChecks.describe(jobs.get(id).spec()) + ") failed "
                + HealthChecks.FAILURES_TO_CRASH + " times in a row while up", null, at);
    }

    // ---- what the runtime says of a job's container ----

    /**
     * A job's container is gone, removed by someone else: a job being stopped is down, any other that has not ended
     * crashed.
     */
    public Move removedOutside(String id, Instant at) {
        JobState state = stateOf(id);
        if (state == null || state.isTerminal()) {
            return unchanged(id);
        }
        return move(id, state == JobState.STOPPING ? JobState.DOWN : JobState.CRASHED,
                "container removed outside the agent", null, at);
    }

    /**
     * What a job's container, as the runtime shows it now ({@code container}, empty when it has none), means for a
     * job that has not ended: an exited container (or one that was started and is back to created) ends it by
     * {@link JobEnding#of}, a stop asked for making it {@code down} whatever the exit; a missing container that was
     * started was removed outside the agent. A SIGKILL exit not yet flagged out of memory is looked at again before
     * it is judged ({@link JobEnding#mayYetTurnOutOutOfMemory}); {@code secondLook} is that look, which decides
     * either way. A running container, or a job that has ended or is unknown, changes nothing.
     */
    public Sighting containerSeen(String id, Optional<ContainerInfo> container, boolean secondLook, Instant at) {
        Entry entry = jobs.get(id);
        if (entry == null || entry.state().isTerminal()) {
            return new Sighting(unchanged(id), false);
        }
        if (container.isEmpty()) {
            return new Sighting(entry.started() ? removedOutside(id, at) : unchanged(id), false);
        }
        ContainerInfo info = container.get();
        if (info.status() == ContainerInfo.Status.EXITED
                || (info.status() == ContainerInfo.Status.CREATED && entry.started())) {
            boolean stopping = entry.state() == JobState.STOPPING;
            if (!secondLook && JobEnding.mayYetTurnOutOutOfMemory(info, stopping)) {
                return new Sighting(unchanged(id), true);
            }
            JobEnding ending = JobEnding.of(info, stopping, entry.spec().memoryMb());
            return new Sighting(move(id, ending.state(), ending.reason(), ending.exitStatus(), at), false);
        }
        return new Sighting(unchanged(id), false);
    }

    // ---- stops ----

    /**
     * A stop asked for: a job that has not ended moves to {@code stopping} (an announced one is withdrawn by that
     * move); one whose created container waits for its first attach never ran, and is {@code down} at once. A web
     * job that was up is drained before its container is stopped. An ended job is left as it is. An unknown job is
     * not found.
     */
    public Stop stop(String id, Instant at) {
        Entry entry = jobs.get(id);
        if (entry == null) {
            throw ApiProblem.notFound("no job " + id + " on host " + hostId);
        }
        if (!entry.state().isActive()) {
            return new Stop(List.of(), Signal.NONE);
        }
        boolean serving = entry.isWeb() && entry.state() == JobState.UP;
        Move stopping = move(id, JobState.STOPPING, "stop requested", null, at);
        if (entry.waitsForAttach()) {
            claim(id);
            return new Stop(List.of(stopping, move(id, JobState.DOWN, "stopped before anyone attached", null, at)),
                    Signal.NONE);
        }
        return new Stop(List.of(stopping), serving ? Signal.DRAIN_THEN_STOP : Signal.STOP);
    }

    /** Its container was started at {@code at}; true when a stop was asked for meanwhile (it is {@code stopping}). */
    public boolean started(String id, Instant at) {
        Entry current = jobs.get(id);
        if (current == null) {
            return false;
        }
        jobs.put(id, current.started(at));
        return current.state() == JobState.STOPPING;
    }

    /** An interactive job's container was created: from {@code since} it waits for its first attach. */
    public void waitForAttach(String id, Instant since) {
        Entry current = jobs.get(id);
        if (current != null) {
            jobs.put(id, current.waitingForAttach(since));
        }
    }

    /**
     * An interactive job's container was created at {@code at}: a job still starting waits for its first attach from
     * then; one stopped meanwhile never ran and is {@code down}.
     */
    public Move createdForAttach(String id, Instant at) {
        JobState state = stateOf(id);
        if (state == JobState.STOPPING) {
            return move(id, JobState.DOWN, "stopped before anyone attached", null, at);
        }
        if (state == JobState.STARTING) {
            waitForAttach(id, at);
        }
        return unchanged(id);
    }

    /** An attach (or a stop, or the attach timeout) takes the job: it no longer waits for an attach. */
    public void claim(String id) {
        Entry current = jobs.get(id);
        if (current != null) {
            jobs.put(id, current.claimed());
        }
    }

    /**
     * Someone attaches to a job: true when this attach is the first, which takes the job and starts its container
     * (no other attach, stop or timeout may take it from here); false when it joins a job already running. An
     * unknown job is not found; one not started interactive, or no longer active, is a conflict saying why.
     */
    public boolean attaching(String id) {
        Entry entry = jobs.get(id);
        if (entry == null) {
            throw ApiProblem.notFound("no job " + id + " on host " + hostId);
        }
        if (!entry.spec().interactive()) {
            throw ApiProblem.conflict("id", "job " + id + " was not started interactive: nothing to attach to "
                    + "(read its output from its log)");
        }
        if (!entry.state().isActive()) {
            throw ApiProblem.conflict("id", "job " + id + " is " + entry.state().wireName()
                    + (entry.job().reason() == null ? "" : " (" + entry.job().reason() + ")"));
        }
        if (entry.waitsForAttach()) {
            claim(id);
            return true;
        }
        return false;
    }

    /** Interactive jobs still {@code starting} that nobody attached to within {@code timeout} of {@code now}. */
    public List<String> unattached(Instant now, Duration timeout) {
        return jobs.values().stream().filter(e -> e.waitsForAttach() && e.state() == JobState.STARTING
                        && Duration.between(e.startingSince(), now).compareTo(timeout) > 0)
                .map(Entry::id).toList();
    }

    /** Fails the interactive jobs that nobody attached to within {@code timeout} of {@code now}: one move each. */
    public List<Move> failUnattached(Instant now, Duration timeout) {
        List<Move> moves = new java.util.ArrayList<>();
        for (String id : unattached(now, timeout)) {
            claim(id);
            moves.add(move(id, JobState.FAILED, "nobody attached within " + timeout.toSeconds() + " s", null, now));
        }
        return moves;
    }

    /** Jobs whose container was started and that are still {@code starting}: their health check decides. */
    public List<Entry> startingWithContainer() {
        return jobs.values().stream().filter(e -> e.state() == JobState.STARTING && e.started()).toList();
    }

    /** Up jobs that publish a port: checked every health interval. */
    public List<Entry> upWithPort() {
        return jobs.values().stream().filter(e -> e.state() == JobState.UP && e.hostPort() != null).toList();
    }

    /** Jobs not yet ended whose container was started: their container tells whether they still run. */
    public List<String> runningContainers() {
        return jobs.values().stream().filter(e -> !e.state().isTerminal() && e.started()).map(Entry::id).toList();
    }

    /** Forgets an ended job. An unknown one is not found; one not yet ended is a conflict (stop it first). */
    public Entry remove(String id) {
        Entry entry = jobs.get(id);
        if (entry == null) {
            throw ApiProblem.notFound("no job " + id + " on host " + hostId);
        }
        if (!entry.state().isTerminal()) {
            throw ApiProblem.conflict("id", "job " + id + " is " + entry.state().wireName()
                    + "; stop it before removing it");
        }
        jobs.remove(id);
        return entry;
    }

    /**
     * Rebuilds a job from its container alone (its labels, see {@link JobContainers}): a running one is adopted
     * {@code starting} (its health check takes it to up), an ended one is remembered with its ending, as of its exit
     * time. A container
     * without a readable spec, or of a job already in the table, is not adopted.
     */
    public Adoption adopt(ContainerInfo container, Instant now) {
        Optional<JobSpec> read = JobContainers.spec(container);
        if (read.isEmpty()) {
            return new Adoption(null, container.labels().containsKey(JobContainers.LABEL_SPEC)
                    ? "unreadable spec label" : "no spec label");
        }
        JobSpec spec = read.get();
        if (jobs.containsKey(spec.id())) {
            return new Adoption(null, null);
        }
        Instant created = JobContainers.created(container).orElse(now);
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
        // An ended job last changed when its container exited, not now: an old exit must not look like a new one.
        Instant changed = !container.isRunning() && container.finishedAt() != null ? container.finishedAt() : now;
        HostJob job = new HostJob(spec.id(), hostId, spec.app(), spec.releaseId(), spec.processType(), spec.image(),
                state, reason, exit, hostPort == null ? null : bindAddress + ":" + hostPort, spec.memoryMb(), created,
                changed, spec.volumes().stream().map(VolumeMount::name).toList());
        Instant since = container.startedAt() != null ? container.startedAt() : now;
        Entry entry = new Entry(spec, job, hostPort, true, since.isBefore(now) ? now : since, false);
        jobs.put(spec.id(), entry);
        if (hostPort != null && hostPort > lastPort) {
            lastPort = hostPort;
        }
        return new Adoption(entry, null);
    }
}
