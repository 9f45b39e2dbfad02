package dev.pier.scheduler.reconcile;

import dev.pier.api.Artifact;
import dev.pier.api.Formation;
import dev.pier.api.JobReport;
import dev.pier.api.JobState;
import dev.pier.api.Release;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import dev.pier.api.host.JobSpecs;
import dev.pier.api.http.PierApiException;
import dev.pier.scheduler.deploy.DeploymentRunner;
import dev.pier.scheduler.placement.Action;
import dev.pier.scheduler.placement.HostState;
import dev.pier.scheduler.placement.Placement;
import dev.pier.scheduler.placement.Rebalance;
import dev.pier.scheduler.placement.RestartBackoff;
import dev.pier.scheduler.placement.RunningJob;
import dev.pier.scheduler.placement.Slot;
import dev.pier.scheduler.placement.Want;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the scheduler: read the desired formations, the actual cluster and the controller's job list, move
 * each active deployment one step, report what changed to the controller, learn from crashes (restart
 * back-off), hold the view against the controller's list ({@link JobAudit}: phantoms, ended jobs to remove), ask
 * {@link Placement} and {@link Rebalance} what to do, and do it. A job's end is decided from the host that ran
 * it: a job the controller holds as running that is missing from a live host's list is looked up on that host,
 * not ended for its absence from the view.
 * Not thread-safe: the loop calls {@link #reconcile} from one thread.
 */
public final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    /** How long a job the controller holds may be on a host the view does not know before it counts as gone. */
    static final Duration VANISH_GRACE = Duration.ofSeconds(10);
    /** How long an ended job's container (and its logs) is kept, by default. */
    public static final Duration ENDED_JOB_RETENTION = Duration.ofMinutes(10);

    private final ClusterPort port;
    private final int jobMemoryMb;
    private final String slugRunnerImage;
    private final UnaryOperator<String> slugUrl;
    private final JobReports reports = new JobReports();
    private final Map<Slot, RestartBackoff> backoffs = new HashMap<>();
    private final Map<String, Instant> upSince = new HashMap<>();
    /** Jobs whose crash was counted (a job runs in one container, so this is its container's one exit). */
    private final Set<String> seenEnded = new HashSet<>();
    /** Per slot, counted crashes whose replacement has not been started yet. */
    private final Map<Slot, Integer> owed = new HashMap<>();
    /** The restart count each job this scheduler started was given: its own, shown on its row. */
    private final Map<String, Integer> restartsOf = new HashMap<>();
    private final Duration endedJobRetention;
    private Instant nextPassDue;
    /** Per slot, the ids of the pending jobs that stand for what fits on no host, so that the job list shows them. */
    private final Map<Slot, List<String>> unplaced = new HashMap<>();
    private final DeploymentRunner deployments;
    /**
     * Where the removals of ended jobs run: housekeeping that no pass waits for. In the pass, each removal on a host
     * that had just lost its power waited its 5 s: two of them held the pass that would have started the host's
     * replacements for 10 s, and those started 8.8 s after the host leader had declared the host lost
     * (bench/chaos, kill-machine-2, 2026-12-08 02:24).
     */
    private final Executor removing;
    /** The ids of the jobs whose removal is under way (not asked for again until it ends). */
    private final Set<String> removalsUnderWay = ConcurrentHashMap.newKeySet();
    /** How many job starts the hosts are asked for at once. */
    static final int PARALLEL_STARTS = 8;
    private final ExecutorService starting = Executors.newFixedThreadPool(
            PARALLEL_STARTS, r -> {
                Thread thread = new Thread(r, "pier-scheduler-start");
                thread.setDaemon(true);
                return thread;
            });

    private java.util.function.Consumer<Slot> onCrash = slot -> { };

    /** {@code listener} hears of every crash this reconciler learns of (for metrics). */
    public void onCrash(java.util.function.Consumer<Slot> listener) {
        this.onCrash = listener;
    }

    /** {@code slugUrl} turns a slug artifact's URI into the URL its jobs fetch it from (signed, for the blobstore). */
    public Reconciler(ClusterPort port, int jobMemoryMb, String slugRunnerImage, UnaryOperator<String> slugUrl) {
        this(port, jobMemoryMb, slugRunnerImage, slugUrl, ENDED_JOB_RETENTION);
    }

    /** {@code endedJobRetention}: how long an ended job's container and logs are kept on its host. */
    public Reconciler(ClusterPort port, int jobMemoryMb, String slugRunnerImage, UnaryOperator<String> slugUrl,
                      Duration endedJobRetention) {
        this(port, jobMemoryMb, slugRunnerImage, slugUrl, endedJobRetention, Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "pier-scheduler-remove");
            thread.setDaemon(true);
            return thread;
        }));
    }

    /** With {@code removing}, where the removals of ended jobs run (tests: on the pass's own thread). */
    Reconciler(ClusterPort port, int jobMemoryMb, String slugRunnerImage, UnaryOperator<String> slugUrl,
               Duration endedJobRetention, Executor removing) {
        this.removing = removing;
        this.port = port;
        this.endedJobRetention = endedJobRetention;
        this.slugUrl = slugUrl;
        this.deployments = new DeploymentRunner(port);
        this.jobMemoryMb = jobMemoryMb;
        this.slugRunnerImage = slugRunnerImage;
    }

    /**
     * Whether the last pass left a deployment waiting only for the routers to catch up with the jobs (they do
     * within milliseconds of a registration): the loop should pass again soon, not at its interval.
     */
    public boolean wantsQuickPass() {
        return deployments.waitingForRouters();
    }

    /**
     * When the next pass is due before the loop's interval (the earliest restart a back-off deferred), or null.
     * Set by each {@link #reconcile}.
     */
    public Instant nextPassDue() {
        return nextPassDue;
    }

    /** The actions of this pass, as done (for logs and tests). */
    public List<Action> reconcile(Instant now) {
        ClusterView view = port.cluster();
        List<Formation> formations = port.formations();
        if (deployments.step(view, formations, now)) {
            formations = port.formations();
        }
        List<dev.pier.api.Job> heldJobs = port.activeJobs();
        Set<String> held = heldJobs.stream().map(dev.pier.api.Job::id).collect(Collectors.toSet());
        Set<String> phantoms = JobAudit.phantoms(view, held);
        List<HostState> hosts = new ArrayList<>();
        Map<String, String> hostUrls = new HashMap<>();
        Set<String> present = new HashSet<>();
        Set<String> heldOnLost = new HashSet<>();
        List<Action> phantomStops = new ArrayList<>();
        List<LostJob> lostJobs = new ArrayList<>(); // told to the controller once their replacements are started
        Map<String, List<UnseenHeld>> unseen = unseenOnLostHosts(view, heldJobs);
        for (ClusterView.Host host : view.hosts()) {
            hostUrls.put(host.id(), host.url());
            List<RunningJob> jobs = new ArrayList<>();
            for (HostJob job : host.jobs()) {
                present.add(job.id());
                if (job.app() == null || job.processType() == null) {
                    continue; // not a Pier job
                }
                if (job.releaseId() == null) {
                    // a one-off job (pier run, a build): reported, never counted in a formation nor stopped here
                    if (host.lost()) {
                        lostJobs.add(new LostJob(job, host.id()));
                    } else {
                        report(job, null);
                    }
                    continue;
                }
                Slot slot = new Slot(job.app(), job.releaseId(), job.processType());
                if (phantoms.contains(job.id())) {
                    // Ended for the controller (decided while its host could not be asked): stopped, not counted.
                    phantomStops.add(new Action.Stop(job.id(), host.id(), slot, "the controller holds job "
                            + job.id() + " as ended"));
                    continue;
                }
                learn(job, slot, now, held);
                if (host.lost() && !job.volumes().isEmpty()) {
                    heldOnLost.add(job.id());
                    reportHeld(job, host.id());
                } else if (host.lost()) {
                    lostJobs.add(new LostJob(job, host.id()));
                } else {
                    report(job, slot);
                }
                jobs.add(new RunningJob(job.id(), slot, job.state(), job.createdAt(), job.memoryMb(), job.volumes()));
            }
            for (UnseenHeld kept : unseen.getOrDefault(host.id(), List.of())) {
                dev.pier.api.Job job = kept.job();
                present.add(job.id()); // its reports are remembered like a listed job's
                heldOnLost.add(job.id());
                reportHeld(job.app(), job.id(), job.state(), host.id());
                jobs.add(new RunningJob(job.id(), new Slot(job.app(), job.releaseId(), job.processType()), job.state(),
                        job.createdAt(), job.memoryMb(), List.of(kept.volume())));
            }
            hosts.add(new HostState(host.id(), host.lost(), host.totalMemoryMb(), host.allocatedMemoryMb(), jobs,
                    host.volumes().stream().map(dev.pier.api.host.HostVolume::name)
                            .collect(Collectors.toSet())));
        }
        reports.retainOnly(present);
        seenEnded.retainAll(present);
        upSince.keySet().retainAll(present);
        restartsOf.keySet().retainAll(present);

        List<Want> wants = new ArrayList<>();
        for (Formation formation : formations) {
            formation.processes().forEach((type, count) -> {
                if (count != null && count > 0) {
                    wants.add(new Want(new Slot(formation.app(), formation.releaseId(), type), count,
                            formation.memoryMb().getOrDefault(type, jobMemoryMb),
                            volumesOf(formation.app(), formation.releaseId(), type)));
                }
            });
        }
        java.util.function.Predicate<Slot> backingOff =
                slot -> backoffs.getOrDefault(slot, RestartBackoff.none()).isWaiting(now);
        List<Action> actions = new ArrayList<>(phantomStops);
        List<Action> placed = Placement.plan(hosts, wants, backingOff);
        actions.addAll(placed);
        actions.addAll(Rebalance.moves(hosts, wants, placed, backingOff));
        Set<Slot> missing = placed.stream().filter(a -> a instanceof Action.Start || a instanceof Action.Deferred
                || a instanceof Action.Unplaceable).map(Reconciler::slotOf).collect(Collectors.toSet());
        owed.keySet().retainAll(missing); // a slot that is whole again owes no restart
        nextPassDue = placed.stream().filter(a -> a instanceof Action.Deferred)
                .map(a -> backoffs.get(((Action.Deferred) a).slot())).filter(java.util.Objects::nonNull)
                .map(RestartBackoff::notBefore).min(Instant::compareTo).orElse(null);
        Map<Slot, Action.Unplaceable> unplaceable = new HashMap<>();
        List<PendingStart> starts = new ArrayList<>();
        for (Action action : actions) {
            if (action instanceof Action.Unplaceable u) {
                unplaceable.put(u.slot(), u);
            }
            try {
                if (action instanceof Action.Start start) {
                    prepare(start, hostUrls.get(start.hostId())).ifPresent(starts::add);
                } else {
                    apply(action, hostUrls);
                }
            } catch (PierApiException e) {
                LOG.warn("event=action_failed action={} error=\"{}\"", action, e.getMessage());
            }
        }
        startAll(starts);
        // What ended is told after what replaces it has started: a lost machine's jobs run elsewhere sooner
        lostJobs.forEach(lost -> reportLost(lost.job(), lost.hostId()));
        settleVanished(view, present, heldOnLost, heldJobs, now);
        showUnplaced(unplaceable, wants.stream().map(Want::slot).collect(Collectors.toSet()));
        removeEnded(view, held, hostUrls, now);
        return actions;
    }

    /** How many volumes each job of the type mounts (0 when the release cannot be read: placed as before). */
    private int volumesOf(String app, UUID releaseId, String type) {
        try {
            Release release = port.release(app, releaseId);
            dev.pier.api.ProcessType process = release == null ? null : release.processes().get(type);
            return process == null ? 0 : process.volumes().size();
        } catch (PierApiException e) {
            LOG.warn("event=release_unreadable app={} release={} error=\"{}\"", app, releaseId, e.getMessage());
            return 0;
        }
    }

    private static Slot slotOf(Action action) {
        if (action instanceof Action.Start start) {
            return start.slot();
        }
        if (action instanceof Action.Deferred deferred) {
            return deferred.slot();
        }
        return ((Action.Unplaceable) action).slot();
    }

    /**
     * Asks for the removal of the ended jobs (with their containers and logs) that the controller knows ended (see
     * {@link JobAudit}), apart from the pass: each runs on {@link #removing} unless one is under way for that job.
     */
    private void removeEnded(ClusterView view, Set<String> held, Map<String, String> hostUrls, Instant now) {
        List<JobAudit.Removal> removals = JobAudit.removals(view, held, port.liveApps(), now, endedJobRetention);
        for (JobAudit.Removal removal : removals) {
            String hostUrl = hostUrls.get(removal.hostId());
            if (removalsUnderWay.add(removal.jobId())) {
                try {
                    removing.execute(() -> remove(removal, hostUrl));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    removalsUnderWay.remove(removal.jobId());
                }
            }
        }
    }

    private void remove(JobAudit.Removal removal, String hostUrl) {
        try {
            port.remove(hostUrl, removal.jobId());
            LOG.info("event=job_removed app={} job={} host={} reason=\"{}\"", removal.app(), removal.jobId(),
                    removal.hostId(), removal.reason());
        } catch (PierApiException e) {
            if (!e.isNotFound()) {
                LOG.warn("event=job_remove_failed app={} job={} host={} error=\"{}\"", removal.app(),
                        removal.jobId(), removal.hostId(), e.getMessage());
            }
        } catch (FencedOut e) {
            LOG.warn("event=job_remove_fenced_out app={} job={} host={} error=\"{}\"", removal.app(), removal.jobId(),
                    removal.hostId(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("event=job_remove_failed app={} job={} host={}", removal.app(), removal.jobId(),
                    removal.hostId(), e);
        } finally {
            removalsUnderWay.remove(removal.jobId());
        }
    }

    /**
     * Keeps one {@code pending} job with no host, and the reason, in the controller's job list for each job that
     * fits on no host, so that {@code pier ps} and the event stream show what is missing and why; ends them
     * {@code down} once they are placed or no longer wanted.
     */
    private void showUnplaced(Map<Slot, Action.Unplaceable> now, Set<Slot> wanted) {
        Set<Slot> slots = new HashSet<>(unplaced.keySet());
        slots.addAll(now.keySet());
        for (Slot slot : slots) {
            Action.Unplaceable action = now.get(slot);
            int missing = action == null ? 0 : action.missing();
            List<String> ids = unplaced.computeIfAbsent(slot, s -> new ArrayList<>());
            try {
                while (ids.size() < missing) {
                    String id = "unplaced-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
                    port.report(slot.app(), id, new JobReport(slot.releaseId(), slot.processType(), null,
                            JobState.PENDING, action.reason(), null, null, null, null));
                    ids.add(id);
                    LOG.info("event=job_pending_unplaced app={} job={} type={} reason=\"{}\"", slot.app(), id,
                            slot.processType(), action.reason());
                }
                while (ids.size() > missing) {
                    String id = ids.get(ids.size() - 1);
                    String reason = wanted.contains(slot) ? "placed on a host" : "no longer wanted";
                    endUnplaced(slot.app(), id, reason);
                    ids.remove(ids.size() - 1);
                }
            } catch (PierApiException e) {
                LOG.warn("event=report_failed app={} type={} state=pending error=\"{}\"", slot.app(),
                        slot.processType(), e.getMessage());
            }
            if (ids.isEmpty()) {
                unplaced.remove(slot);
            }
        }
    }

    private void endUnplaced(String app, String jobId, String reason) {
        try {
            port.report(app, jobId, new JobReport(null, null, null, JobState.DOWN, reason, null, null, null, null));
        } catch (PierApiException e) {
            if (!e.isConflict() && !e.isNotFound()) {
                throw e;
            }
        }
    }

    /**
     * Tracks when jobs came up and counts crashes per slot for the back-off. A crash counts once, and only when
     * it is news: when the controller ({@code held}) still held the job as running. An exit the controller
     * already knows (a container that died long ago, seen again by a scheduler that just took over or through
     * an agent that adopted it again) is not a new crash.
     */
    private void learn(HostJob job, Slot slot, Instant now, Set<String> held) {
        if (job.state() == JobState.UP) {
            upSince.putIfAbsent(job.id(), job.updatedAt() != null ? job.updatedAt() : now);
        }
        if (job.state() == JobState.CRASHED && held.contains(job.id()) && seenEnded.add(job.id())) {
            Instant since = upSince.remove(job.id());
            Instant at = job.updatedAt() != null ? job.updatedAt() : now;
            Duration upFor = since == null ? null : Duration.between(since, at);
            RestartBackoff next = backoffs.getOrDefault(slot, RestartBackoff.none()).afterCrash(now, upFor);
            backoffs.put(slot, next);
            owed.merge(slot, 1, Integer::sum);
            LOG.info("event=job_crashed app={} job={} type={} crashes={} restart_not_before={}", job.app(), job.id(),
                    job.processType(), next.consecutiveCrashes(), next.notBefore());
            onCrash.accept(slot);
        }
    }

    /**
     * Tells the controller of the job's state when it changed; {@code slot} is null for one-off jobs. The job's
     * restart count is its own (given when this scheduler started it; unknown, so left as the controller has
     * it, for others); a crashed job also says when its slot's next start may happen.
     */
    private void report(HostJob job, Slot slot) {
        RestartBackoff backoff = slot == null ? null : backoffs.get(slot);
        Integer restarts = restartsOf.get(job.id());
        Instant until = backoff == null || job.state() != JobState.CRASHED ? null : backoff.notBefore();
        JobReport change = reports.changeOf(job, restarts, until);
        if (change == null) {
            return;
        }
        try {
            sendAlongPath(job, reports.lastState(job.id()), change);
            reports.sent(job, restarts);
        } catch (PierApiException e) {
            if (e.isConflict()) {
                // The controller knows a state this scheduler did not send (it restarted, or another one led).
                try {
                    JobState known = port.reportedState(job.app(), job.id());
                    if (known != null && (known.canMoveTo(job.state()) || !known.pathTo(job.state()).isEmpty())) {
                        sendAlongPath(job, known, change);
                    }
                } catch (PierApiException again) {
                    LOG.warn("event=report_failed app={} job={} state={} error=\"{}\"", job.app(), job.id(),
                            job.state().wireName(), again.getMessage());
                }
                reports.sent(job, restarts);
                return;
            }
            if (e.isNotFound()) {
                reports.sent(job, restarts); // the app is gone: nothing to tell
            }
            LOG.warn("event=report_failed app={} job={} state={} error=\"{}\"", job.app(), job.id(),
                    job.state().wireName(), e.getMessage());
        }
    }

    /**
     * Jobs the controller still holds as running that the view does not show running: on a lost host (they ended
     * with it), or, once the controller's record is older than {@link #VANISH_GRACE} (a job being started may
     * not be on its host yet), on a host the view does not know, or missing from a live host's list, in which
     * case that host is asked: a host that has no such job ended it (or never started it), one that has it says
     * how it is (the view lagged), one that does not answer is asked again next pass. They are reported with the
     * reason, so the controller's job list stays true.
     */
    private void settleVanished(ClusterView view, Set<String> present, Set<String> heldOnLost,
            List<dev.pier.api.Job> held, Instant now) {
        Map<String, Boolean> hostLost = new HashMap<>();
        Map<String, String> hostUrls = new HashMap<>();
        view.hosts().forEach(h -> {
            hostLost.put(h.id(), h.lost());
            hostUrls.put(h.id(), h.url());
        });
        Set<String> ours = new HashSet<>();
        unplaced.values().forEach(ours::addAll);
        for (dev.pier.api.Job job : held) {
            if (present.contains(job.id()) && !Boolean.TRUE.equals(hostLost.get(job.hostId()))
                    || heldOnLost.contains(job.id())) {
                continue;
            }
            if (job.hostId() == null) {
                // A job that waited for a host: another scheduler's (it led before) or one this one let go.
                if (job.state() == JobState.PENDING && !ours.contains(job.id())) {
                    try {
                        endUnplaced(job.app(), job.id(), "no longer waiting for a host");
                    } catch (PierApiException e) {
                        LOG.warn("event=report_failed app={} job={} state=down error=\"{}\"", job.app(), job.id(),
                                e.getMessage());
                    }
                }
                continue;
            }
            boolean settled = job.updatedAt() == null || job.updatedAt().plus(VANISH_GRACE).isBefore(now);
            String reason;
            if (Boolean.TRUE.equals(hostLost.get(job.hostId()))) {
                reason = "host " + job.hostId() + " was lost";
            } else if (settled && hostLost.containsKey(job.hostId())) {
                Optional<HostJob> onHost;
                try {
                    onHost = port.hostJob(hostUrls.get(job.hostId()), job.id());
                } catch (PierApiException e) {
                    LOG.debug("event=job_lookup_failed app={} job={} host={} error=\"{}\"", job.app(), job.id(),
                            job.hostId(), e.getMessage());
                    continue;
                }
                if (onHost.isPresent()) {
                    HostJob found = onHost.get();
                    report(found, found.releaseId() == null ? null
                            : new Slot(found.app(), found.releaseId(), found.processType()));
                    continue;
                }
                reason = "host " + job.hostId() + " has no job " + job.id();
            } else if (settled) {
                reason = "host " + job.hostId() + " is gone";
            } else {
                continue;
            }
            if (reports.lastState(job.id()) != null && reports.lastState(job.id()).isTerminal()) {
                continue;
            }
            // A job that never got past pending never ran: it failed; one that ran crashed.
            JobState end = job.state() == JobState.PENDING ? JobState.FAILED : JobState.CRASHED;
            try {
                for (JobState step : job.state().pathTo(end)) {
                    port.report(job.app(), job.id(), new JobReport(null, null, null, step,
                            step == end ? reason : null, null, null, null, null));
                }
                reports.sent(job.id(), end, reason);
                LOG.info("event=job_vanished app={} job={} host={} state={} reason=\"{}\"", job.app(), job.id(),
                        job.hostId(), end.wireName(), reason);
            } catch (PierApiException e) {
                LOG.warn("event=report_failed app={} job={} state={} error=\"{}\"", job.app(), job.id(),
                        end.wireName(), e.getMessage());
            }
        }
    }

    /**
     * A job of a lost host ended with its host, whatever the view last saw of it: tell the controller (and the
     * log) once.
     */
    /**
     * A job with volumes on a lost host keeps its state and is told waiting for its host (once): it is not ended,
     * as nothing could replace it elsewhere, and when its host returns with it, it is counted as before.
     */
    private void reportHeld(HostJob job, String hostId) {
        reportHeld(job.app(), job.id(), job.state(), hostId);
    }

    private void reportHeld(String app, String jobId, JobState state, String hostId) {
        String reason = "host " + hostId + " was lost: the job keeps its place and its volume there, and runs on when "
                + "the host returns";
        if (reason.equals(reports.lastReason(jobId)) || state.isTerminal()) {
            return;
        }
        try {
            port.report(app, jobId, new JobReport(null, null, null, state, reason, null, null, null, null));
            reports.sent(jobId, state, reason);
            LOG.info("event=job_held_on_lost_host app={} job={} host={}", app, jobId, hostId);
        } catch (PierApiException e) {
            LOG.warn("event=report_failed app={} job={} state={} error=\"{}\"", app, jobId, state.wireName(),
                    e.getMessage());
        }
    }

    /** A job the view lists on a lost host, and that host. */
    private record LostJob(HostJob job, String hostId) {
    }

    /** A job the controller holds on a lost host that the view does not list, and the volume it is taken to use. */
    private record UnseenHeld(dev.pier.api.Job job, String volume) {
    }

    /**
     * Jobs the controller holds as running on a lost host that the view does not list there, though the host has a
     * volume of the job's app and process type that no listed job mounts: the job is taken to use it, and so keeps
     * its place like a listed job with volumes. A new host leader knows a dead leader's own host only from its last
     * copy of the view (taken every 2 s): a volume job started there just before the leader died is missing from it,
     * while its volume, made with an earlier job of the slot, is not. Without this, such a job was ended as lost.
     */
    private static Map<String, List<UnseenHeld>> unseenOnLostHosts(ClusterView view, List<dev.pier.api.Job> held) {
        Set<String> listed = new HashSet<>();
        view.hosts().forEach(h -> h.jobs().forEach(j -> listed.add(j.id())));
        Map<String, List<UnseenHeld>> unseen = new HashMap<>();
        for (ClusterView.Host host : view.hosts()) {
            if (!host.lost()) {
                continue;
            }
            // mounted by a listed job the controller still holds (one it holds as ended mounts nothing any more)
            Set<String> heldIds = held.stream().map(dev.pier.api.Job::id).collect(Collectors.toSet());
            Set<String> mounted = new HashSet<>();
            host.jobs().stream().filter(j -> j.state().isActive() && heldIds.contains(j.id()))
                    .forEach(j -> mounted.addAll(j.volumes()));
            List<dev.pier.api.host.HostVolume> free = new ArrayList<>(host.volumes().stream()
                    .filter(v -> !mounted.contains(v.name())).sorted(java.util.Comparator.comparing(
                            dev.pier.api.host.HostVolume::name)).toList());
            for (dev.pier.api.Job job : held) {
                if (!host.id().equals(job.hostId()) || listed.contains(job.id()) || job.releaseId() == null) {
                    continue;
                }
                free.stream().filter(v -> job.app().equals(v.app()) && job.processType().equals(v.processType()))
                        .findFirst().ifPresent(volume -> {
                            free.remove(volume);
                            unseen.computeIfAbsent(host.id(), h -> new ArrayList<>())
                                    .add(new UnseenHeld(job, volume.name()));
                        });
            }
        }
        return unseen;
    }

    private void reportLost(HostJob job, String hostId) {
        JobState last = reports.lastState(job.id());
        if (last != null && last.isTerminal()) {
            return;
        }
        String reason = "host " + hostId + " was lost";
        try {
            port.report(job.app(), job.id(), new JobReport(null, null, null, JobState.CRASHED, reason, null, null, null,
                    null));
        } catch (PierApiException e) {
            LOG.warn("event=report_failed app={} job={} state=crashed error=\"{}\"", job.app(), job.id(), e.getMessage());
            if (!e.isConflict() && !e.isNotFound()) {
                return; // retried next pass
            }
        }
        reports.sent(job.id(), JobState.CRASHED, reason);
        LOG.info("event=job_lost app={} job={} host={}", job.app(), job.id(), hostId);
    }

    /** Reports {@code change}, first the states between {@code last} and it when the view skipped some. */
    private void sendAlongPath(HostJob job, JobState last, JobReport change) {
        if (last != null && !last.canMoveTo(job.state())) {
            for (JobState between : last.pathTo(job.state())) {
                if (between != job.state()) {
                    port.report(job.app(), job.id(), new JobReport(null, null, job.hostId(), between, null, null,
                            null, null, null));
                }
            }
        }
        port.report(job.app(), job.id(), change);
    }

    private void apply(Action action, Map<String, String> hostUrls) {
        if (action instanceof Action.Stop stop) {
            LOG.info("event=job_stop app={} job={} host={} reason=\"{}\"", stop.slot().app(), stop.jobId(),
                    stop.hostId(), stop.reason());
            port.stop(hostUrls.get(stop.hostId()), stop.jobId());
        } else if (action instanceof Action.Lost || action instanceof Action.HeldOnLostHost) {
            // reported, and logged, once by reportLost / reportHeld
        } else if (action instanceof Action.Unplaceable unplaceable) {
            LOG.warn("event=job_unplaceable app={} type={} missing={} reason=\"{}\"", unplaceable.slot().app(),
                    unplaceable.slot().processType(), unplaceable.missing(), unplaceable.reason());
        } else if (action instanceof Action.Deferred deferred) {
            LOG.debug("event=job_backing_off app={} type={} missing={}", deferred.slot().app(),
                    deferred.slot().processType(), deferred.missing());
        }
    }

    /** A job reported pending and about to be started on its host. */
    private record PendingStart(Action.Start action, String hostUrl, JobSpec spec) {
    }

    /** Reports the job pending (so it is never unknown to the controller) and makes its spec; empty if it cannot run. */
    private Optional<PendingStart> prepare(Action.Start start, String hostUrl) {
        Slot slot = start.slot();
        Release release = port.release(slot.app(), slot.releaseId());
        Artifact artifact = release.artifactId() == null ? null : port.artifact(release.artifactId());
        String jobId = (start.hostId() + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
                .toLowerCase(Locale.ROOT);
        StringBuilder why = new StringBuilder();
        var spec = JobSpecs.forJob(jobId, release, artifact, slot.processType(), start.index(), start.memoryMb(),
                slugRunnerImage, slugUrl, why);
        if (spec.isEmpty()) {
            LOG.warn("event=job_cannot_run app={} type={} reason=\"{}\"", slot.app(), slot.processType(), why);
            return Optional.empty();
        }
        // A replacement for a counted crash carries the slot's crash count; a job started for a scale, a deploy
        // or a move carries none.
        RestartBackoff backoff = backoffs.get(slot);
        int restarts = 0;
        if (owed.getOrDefault(slot, 0) > 0 && backoff != null) {
            owed.merge(slot, -1, Integer::sum);
            restarts = backoff.consecutiveCrashes();
        }
        port.report(slot.app(), jobId, new JobReport(slot.releaseId(), slot.processType(), start.hostId(),
                JobState.PENDING, null, null, restarts, null, null, start.memoryMb()));
        restartsOf.put(jobId, restarts);
        reports.sent(jobId, JobState.PENDING, null);
        return Optional.of(new PendingStart(start, hostUrl, spec.get()));
    }

    /**
     * Asks the hosts to start the jobs, up to {@link #PARALLEL_STARTS} at a time (a host agent answers once its
     * container is created and started, so one at a time would make a scale of 20 wait for 20 of those in a row).
     */
    private void startAll(List<PendingStart> starts) {
        if (starts.isEmpty()) {
            return;
        }
        List<Future<HostJob>> results = new ArrayList<>();
        for (PendingStart start : starts) {
            results.add(starting.submit(() -> port.start(start.hostUrl(), start.spec())));
        }
        FencedOut fenced = null;
        for (int i = 0; i < starts.size(); i++) {
            PendingStart start = starts.get(i);
            Slot slot = start.action().slot();
            String jobId = start.spec().id();
            try {
                HostJob job = results.get(i).get();
                LOG.info("event=job_start app={} job={} type={} host={} state={}", slot.app(), jobId,
                        slot.processType(), start.action().hostId(), job.state().wireName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof FencedOut refused) {
                    // Not the leader (any more): nothing to report. The pending record this scheduler wrote is
                    // ended by the leader ("host h has no job j") like any job its host does not have.
                    fenced = refused;
                    continue;
                }
                // Never leave a job pending that no host runs: it failed to start, and the next pass places another.
                String reason = "could not start on host " + start.action().hostId() + ": " + e.getCause().getMessage();
                if (restartsOf.getOrDefault(jobId, 0) > 0) {
                    owed.merge(slot, 1, Integer::sum); // its replacement is still owed
                }
                LOG.warn("event=action_failed action={} error=\"{}\"", start.action(), e.getCause().getMessage());
                try {
                    port.report(slot.app(), jobId, new JobReport(null, null, null, JobState.FAILED, reason, null, null,
                            null, null));
                    reports.sent(jobId, JobState.FAILED, reason);
                } catch (PierApiException again) {
                    LOG.warn("event=report_failed app={} job={} state=failed error=\"{}\"", slot.app(), jobId,
                            again.getMessage());
                }
            }
        }
        if (fenced != null) {
            throw fenced;
        }
    }
}
