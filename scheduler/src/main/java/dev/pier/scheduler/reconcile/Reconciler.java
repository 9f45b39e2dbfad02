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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the scheduler: read the desired formations and the actual cluster, move each active deployment
 * one step, report what changed to the controller, learn from crashes (restart back-off), ask
 * {@link Placement} what to do, and do it.
 * Not thread-safe: the loop calls {@link #reconcile} from one thread.
 */
public final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    /** How long a job the controller holds may be missing from its live host's list before it counts as gone. */
    static final Duration VANISH_GRACE = Duration.ofSeconds(10);

    private final ClusterPort port;
    private final int jobMemoryMb;
    private final String slugRunnerImage;
    private final UnaryOperator<String> slugUrl;
    private final JobReports reports = new JobReports();
    private final Map<Slot, RestartBackoff> backoffs = new HashMap<>();
    private final Map<String, Instant> upSince = new HashMap<>();
    private final Set<String> seenEnded = new HashSet<>();
    /** Per slot, the ids of the pending jobs that stand for what fits on no host, so that the job list shows them. */
    private final Map<Slot, List<String>> unplaced = new HashMap<>();
    private final DeploymentRunner deployments;
    /** How many job starts the hosts are asked for at once. */
    static final int PARALLEL_STARTS = 8;
    private final ExecutorService starting = Executors.newFixedThreadPool(
            PARALLEL_STARTS, r -> {
                Thread thread = new Thread(r, "pier-scheduler-start");
                thread.setDaemon(true);
                return thread;
            });

    /** {@code slugUrl} turns a slug artifact's URI into the URL its jobs fetch it from (signed, for the blobstore). */
    public Reconciler(ClusterPort port, int jobMemoryMb, String slugRunnerImage, UnaryOperator<String> slugUrl) {
        this.port = port;
        this.slugUrl = slugUrl;
        this.deployments = new DeploymentRunner(port);
        this.jobMemoryMb = jobMemoryMb;
        this.slugRunnerImage = slugRunnerImage;
    }

    /** The actions of this pass, as done (for logs and tests). */
    public List<Action> reconcile(Instant now) {
        ClusterView view = port.cluster();
        List<Formation> formations = port.formations();
        if (deployments.step(view, formations, now)) {
            formations = port.formations();
        }
        List<HostState> hosts = new ArrayList<>();
        Map<String, String> hostUrls = new HashMap<>();
        Set<String> present = new HashSet<>();
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
                        reportLost(job, host.id());
                    } else {
                        report(job, null);
                    }
                    continue;
                }
                Slot slot = new Slot(job.app(), job.releaseId(), job.processType());
                learn(job, slot, now);
                if (host.lost()) {
                    reportLost(job, host.id());
                } else {
                    report(job, slot);
                }
                jobs.add(new RunningJob(job.id(), slot, job.state(), job.createdAt(), job.memoryMb()));
            }
            hosts.add(new HostState(host.id(), host.lost(), host.totalMemoryMb(), host.allocatedMemoryMb(), jobs));
        }
        reports.retainOnly(present);
        settleVanished(view, present, now);

        List<Want> wants = new ArrayList<>();
        for (Formation formation : formations) {
            formation.processes().forEach((type, count) -> {
                if (count != null && count > 0) {
                    wants.add(new Want(new Slot(formation.app(), formation.releaseId(), type), count,
                            formation.memoryMb().getOrDefault(type, jobMemoryMb)));
                }
            });
        }
        List<Action> actions = Placement.plan(hosts, wants,
                slot -> backoffs.getOrDefault(slot, RestartBackoff.none()).isWaiting(now));
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
        showUnplaced(unplaceable, wants.stream().map(Want::slot).collect(Collectors.toSet()));
        return actions;
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

    /** Tracks when jobs came up and counts crashes per slot for the back-off. */
    private void learn(HostJob job, Slot slot, Instant now) {
        if (job.state() == JobState.UP) {
            upSince.putIfAbsent(job.id(), job.updatedAt() != null ? job.updatedAt() : now);
        }
        if (job.state() == JobState.CRASHED && seenEnded.add(job.id())) {
            Instant since = upSince.remove(job.id());
            Instant at = job.updatedAt() != null ? job.updatedAt() : now;
            Duration upFor = since == null ? null : Duration.between(since, at);
            RestartBackoff next = backoffs.getOrDefault(slot, RestartBackoff.none()).afterCrash(now, upFor);
            backoffs.put(slot, next);
            LOG.info("event=job_crashed app={} job={} type={} crashes={} restart_not_before={}", job.app(), job.id(),
                    job.processType(), next.consecutiveCrashes(), next.notBefore());
        }
    }

    /** Tells the controller of the job's state when it changed; {@code slot} is null for one-off jobs. */
    private void report(HostJob job, Slot slot) {
        RestartBackoff backoff = slot == null ? null : backoffs.get(slot);
        int restarts = backoff == null ? 0 : backoff.consecutiveCrashes();
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
     * Jobs the controller still holds as running that no host runs: on a lost or forgotten host, or gone from
     * a live host's list for longer than {@link #VANISH_GRACE} (a job just started may not be in the view
     * yet). They are reported crashed with the reason, so the controller's job list stays true.
     */
    private void settleVanished(ClusterView view, Set<String> present, Instant now) {
        Map<String, Boolean> hostLost = new HashMap<>();
        view.hosts().forEach(h -> hostLost.put(h.id(), h.lost()));
        Set<String> ours = new HashSet<>();
        unplaced.values().forEach(ours::addAll);
        for (dev.pier.api.Job job : port.activeJobs()) {
            if (present.contains(job.id()) && !Boolean.TRUE.equals(hostLost.get(job.hostId()))) {
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
                reason = "the job is no longer on host " + job.hostId();
            } else if (settled) {
                reason = "host " + job.hostId() + " is gone";
            } else {
                continue;
            }
            if (reports.lastState(job.id()) != null && reports.lastState(job.id()).isTerminal()) {
                continue;
            }
            try {
                for (JobState step : job.state().pathTo(JobState.CRASHED)) {
                    port.report(job.app(), job.id(), new JobReport(null, null, null, step,
                            step == JobState.CRASHED ? reason : null, null, null, null, null));
                }
                reports.sent(job.id(), JobState.CRASHED, reason);
                LOG.info("event=job_vanished app={} job={} host={} reason=\"{}\"", job.app(), job.id(), job.hostId(), reason);
            } catch (PierApiException e) {
                LOG.warn("event=report_failed app={} job={} state=crashed error=\"{}\"", job.app(), job.id(), e.getMessage());
            }
        }
    }

    /** A job of a lost host ended with its host, whatever the view last saw of it: tell the controller once. */
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
        } else if (action instanceof Action.Lost lost) {
            LOG.info("event=job_lost app={} job={} host={}", lost.slot().app(), lost.jobId(), lost.hostId());
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
        var spec = JobSpecs.forJob(jobId, release, artifact, slot.processType(), start.memoryMb(), slugRunnerImage,
                slugUrl, why);
        if (spec.isEmpty()) {
            LOG.warn("event=job_cannot_run app={} type={} reason=\"{}\"", slot.app(), slot.processType(), why);
            return Optional.empty();
        }
        RestartBackoff backoff = backoffs.get(slot);
        port.report(slot.app(), jobId, new JobReport(slot.releaseId(), slot.processType(), start.hostId(),
                JobState.PENDING, null, null, backoff == null ? 0 : backoff.consecutiveCrashes(), null, null,
                start.memoryMb()));
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
                // Never leave a job pending that no host runs: it failed to start, and the next pass places another.
                String reason = "could not start on host " + start.action().hostId() + ": " + e.getCause().getMessage();
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
    }
}
