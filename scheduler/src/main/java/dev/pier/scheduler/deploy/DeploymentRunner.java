package dev.pier.scheduler.deploy;

import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.DeploymentUpdate;
import dev.pier.api.Formation;
import dev.pier.api.JobState;
import dev.pier.api.Names;
import dev.pier.api.ProcessType;
import dev.pier.api.Release;
import dev.pier.api.host.ClusterView;
import dev.pier.api.router.RouterAnswer;
import dev.pier.api.router.Routing;
import dev.pier.api.host.HostJob;
import dev.pier.api.http.PierApiException;
import dev.pier.scheduler.reconcile.ClusterPort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives every active deployment one step per pass, on the controller's behalf: it reads what runs and what
 * the routers route, asks {@link Rollout} for the next step, and applies it through the controller (formation
 * counts, deployment status and step). A web job counts as up once it is up on its host (health check passed)
 * and every router routes to it ({@link Routing}); a deployment completes only once, besides, no router routes
 * to a job of another release. A process type with no port counts as up once it has run for
 * {@link #WORKER_SETTLE}.
 */
public final class DeploymentRunner {
    public static final Duration WORKER_SETTLE = Duration.ofSeconds(3);
    /** How many of a lagging job's last lines a timed-out deployment's error quotes. */
    static final int LAST_LINES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentRunner.class);

    private final ClusterPort port;
    private final Map<UUID, Instant> lastProgress = new HashMap<>();
    /** When each deployment last lowered an old count, and the new jobs already seen routed: for the logs. */
    private final Map<UUID, Instant> oldStopped = new HashMap<>();
    private final Set<String> seenRouted = new HashSet<>();
    private boolean waitingForRouters;

    public DeploymentRunner(ClusterPort port) {
        this.port = port;
    }

    /**
     * Whether the last {@link #step} found a deployment waiting only for the routers to catch up, which takes
     * milliseconds: the caller should pass again soon rather than at its interval.
     */
    public boolean waitingForRouters() {
        return waitingForRouters;
    }

    /** Moves each active deployment one step; returns whether any formation changed. */
    public boolean step(ClusterView view, List<Formation> formations, Instant now) {
        boolean changed = false;
        waitingForRouters = false;
        List<Deployment> active = port.activeDeployments();
        for (Deployment deployment : active) {
            try {
                changed |= step(deployment, view, formations, now);
            } catch (PierApiException e) {
                LOG.warn("event=deployment_step_failed app={} deployment={} error=\"{}\"", deployment.app(),
                        deployment.id(), e.getMessage());
            }
        }
        lastProgress.keySet().retainAll(active.stream().map(Deployment::id).toList());
        oldStopped.keySet().retainAll(lastProgress.keySet());
        if (active.isEmpty()) {
            seenRouted.clear();
        }
        return changed;
    }

    private boolean step(Deployment deployment, ClusterView view, List<Formation> formations, Instant now) {
        if (deployment.status() == DeploymentStatus.PENDING) {
            deployment = port.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.RUNNING, null,
                    "starting"));
            LOG.info("event=deployment_running app={} deployment={}", deployment.app(), deployment.id());
        }
        Instant started = deployment.startedAt() != null ? deployment.startedAt() : now;
        lastProgress.putIfAbsent(deployment.id(), now);
        Map<String, Integer> oldNow = countsOf(formations, deployment.app(), deployment.oldReleaseId());
        Map<String, Integer> newNow = countsOf(formations, deployment.app(), deployment.newReleaseId());
        Release release = port.release(deployment.app(), deployment.newReleaseId());
        Jobs jobs = Jobs.of(view, deployment, release, started, now);
        Routing.Verdict routing = routing(deployment, jobs);
        measure(deployment, jobs, routing, now);
        Map<String, Rollout.Tally> tallies = jobs.tallies(routing);
        boolean timedOut = Duration.between(lastProgress.get(deployment.id()), now)
                .compareTo(port.deployTimeout(deployment.app())) > 0;
        Rollout.Step next = Rollout.next(deployment.strategy(), deployment.processes(), oldNow, newNow, tallies, timedOut,
                withVolumes(release));
        if (next instanceof Rollout.Scale scale) {
            if (!scale.newCounts().isEmpty()) {
                Map<String, Integer> counts = new HashMap<>(newNow);
                counts.putAll(scale.newCounts());
                port.scale(deployment.app(), deployment.newReleaseId(), counts);
            }
            if (!scale.oldCounts().isEmpty() && deployment.oldReleaseId() != null) {
                Map<String, Integer> counts = new HashMap<>(oldNow);
                counts.putAll(scale.oldCounts());
                port.scale(deployment.app(), deployment.oldReleaseId(), counts);
            }
            lastProgress.put(deployment.id(), now);
            if (!scale.oldCounts().isEmpty()) {
                oldStopped.put(deployment.id(), now);
            }
            LOG.info("event=deployment_step app={} deployment={} new={} old={}", deployment.app(), deployment.id(),
                    scale.newCounts(), scale.oldCounts());
            if (scale.finishes()) {
                complete(deployment);
            } else {
                say(deployment, describe(scale, newNow, oldNow, release));
            }
            return true;
        }
        if (next instanceof Rollout.Complete) {
            complete(deployment);
            return true;
        }
        if (next instanceof Rollout.Fail fail) {
            String reason = fail.reason();
            if (timedOut) {
                reason = reason + lagging(jobs, routing, release);
            }
            port.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.FAILED, reason));
            LOG.warn("event=deployment_failed app={} deployment={} reason=\"{}\"", deployment.app(), deployment.id(),
                    reason);
            return true;
        }
        if (next instanceof Rollout.Wait wait) {
            String also = routing.waiting();
            if (!routing.routed().containsAll(jobs.upWeb()) || !routing.stale().isEmpty()) {
                waitingForRouters = true;
            }
            say(deployment, also.isEmpty() ? wait.forWhat() : wait.forWhat() + " (" + also + ")");
        }
        return false;
    }

    /**
     * Logs how long the routers took: from a new job's {@code up} on its host to every router routing it, and
     * from the stop of old jobs to no router routing them (docs/scheduler.md quotes these figures).
     */
    private void measure(Deployment deployment, Jobs jobs, Routing.Verdict routing, Instant now) {
        for (HostJob job : jobs.fresh()) {
            if (routing.routed().contains(job.id()) && seenRouted.add(job.id()) && job.updatedAt() != null) {
                LOG.info("event=job_routed app={} deployment={} job={} after_up_ms={}", deployment.app(),
                        deployment.id(), job.id(), Duration.between(job.updatedAt(), now).toMillis());
            }
        }
        Instant stopped = oldStopped.get(deployment.id());
        if (stopped != null && routing.stale().isEmpty()) {
            oldStopped.remove(deployment.id());
            LOG.info("event=old_jobs_unrouted app={} deployment={} after_stop_ms={}", deployment.app(),
                    deployment.id(), Duration.between(stopped, now).toMillis());
        }
    }

    /** Asks the routers about the app's web service, when the new or the old release has web jobs. */
    private Routing.Verdict routing(Deployment deployment, Jobs jobs) {
        if (jobs.upWeb().isEmpty() && !deployment.processes().containsKey("web")
                && !deployment.oldProcesses().containsKey("web")) {
            return new Routing.Verdict(Set.of(), Set.of(), "");
        }
        Set<String> domains = port.domains(deployment.app());
        List<RouterAnswer> answers = domains.isEmpty() ? List.of() : port.routing(Names.webService(deployment.app()));
        return Routing.judge(domains, answers, jobs.upWeb(), jobs.allNew());
    }

    /**
     * The release's process types whose jobs mount volumes or hold a fixed host port: neither can be shared by an old
     * and a new job, so they are deployed stop-first (see {@link Rollout}).
     */
    private static Set<String> withVolumes(Release release) {
        Set<String> types = new java.util.TreeSet<>();
        release.processes().forEach((type, process) -> {
            if (!process.volumes().isEmpty() || process.hostPort() != null) {
                types.add(type);
            }
        });
        return types;
    }

    private void complete(Deployment deployment) {
        port.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.COMPLETE, null));
        LOG.info("event=deployment_complete app={} deployment={}", deployment.app(), deployment.id());
    }

    /** Tells the controller what the deployment does now (an event when it changed). */
    private void say(Deployment deployment, String step) {
        if (step.equals(deployment.step())) {
            return;
        }
        try {
            port.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.RUNNING, null, step));
        } catch (PierApiException e) {
            LOG.warn("event=deployment_step_unsaid app={} deployment={} error=\"{}\"", deployment.app(),
                    deployment.id(), e.getMessage());
        }
    }

    private static String describe(Rollout.Scale scale, Map<String, Integer> newNow, Map<String, Integer> oldNow,
                                   Release release) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(scale.newCounts()).forEach((type, count) -> {
            int more = count - newNow.getOrDefault(type, 0);
            parts.add(type + ": starting " + more + " job" + (more == 1 ? "" : "s") + " of v" + release.version()
                    + " (" + count + " in all)");
        });
        new TreeMap<>(scale.oldCounts()).forEach((type, count) -> {
            int fewer = oldNow.getOrDefault(type, 0) - count;
            parts.add(type + ": stopping " + fewer + " old job" + (fewer == 1 ? "" : "s") + " (" + count + " left)");
        });
        return String.join("; ", parts);
    }

    /**
     * Why a timed-out deployment's new jobs are not serving: each job that is not, with its state (or the
     * routers' word) and its last lines, so the error names the cause rather than the symptom.
     */
    private String lagging(Jobs jobs, Routing.Verdict routing, Release release) {
        StringBuilder out = new StringBuilder();
        for (HostJob job : jobs.fresh()) {
            ProcessType process = release.processes().get(job.processType());
            boolean web = "web".equals(job.processType());
            String why;
            if (job.state() != JobState.UP) {
                why = job.state().wireName() + (job.reason() == null ? "" : " (" + job.reason() + ")")
                        + (process != null && process.port() != null ? ", waiting for " + process.checkDescription() : "");
            } else if (web && !routing.routed().contains(job.id())) {
                why = "up but not routed: " + routing.waiting();
            } else {
                continue;
            }
            out.append("\n  job ").append(job.id()).append(" on ").append(job.hostId()).append(": ").append(why);
            List<String> lines = port.lastLines(jobs.hostUrl(job.hostId()), job.id(), LAST_LINES);
            if (lines.isEmpty()) {
                out.append("; it wrote nothing");
            } else {
                out.append("; its last lines:");
                lines.forEach(line -> out.append("\n    ").append(line.length() > 200 ? line.substring(0, 200) + "…" : line));
            }
        }
        return out.length() > 3500 ? out.substring(0, 3500) + "…" : out.toString();
    }

    private static Map<String, Integer> countsOf(List<Formation> formations, String app, UUID releaseId) {
        if (releaseId == null) {
            return Map.of();
        }
        return formations.stream().filter(f -> f.app().equals(app) && f.releaseId().equals(releaseId))
                .findFirst().map(Formation::processes).orElse(Map.of());
    }

    /** The new release's jobs in the cluster view, as a deployment sees them. */
    private record Jobs(List<HostJob> fresh, Map<String, int[]> counts, Map<String, String> failures,
                        Set<String> upWeb, Set<String> allNew, Map<String, String> hostUrls) {

        static Jobs of(ClusterView view, Deployment deployment, Release release, Instant started, Instant now) {
            List<HostJob> fresh = new ArrayList<>();
            Map<String, int[]> counts = new HashMap<>();
            Map<String, String> failures = new HashMap<>();
            Set<String> upWeb = new HashSet<>();
            Set<String> allNew = new HashSet<>();
            Map<String, String> hostUrls = new HashMap<>();
            for (ClusterView.Host host : view.hosts()) {
                hostUrls.put(host.id(), host.url());
                if (host.lost()) {
                    continue;
                }
                for (HostJob job : host.jobs()) {
                    if (!deployment.newReleaseId().equals(job.releaseId()) || job.processType() == null) {
                        continue;
                    }
                    allNew.add(job.id());
                    int[] tally = counts.computeIfAbsent(job.processType(), t -> new int[2]);
                    ProcessType process = release.processes().get(job.processType());
                    boolean worker = process == null || process.port() == null;
                    boolean ended = job.state() == JobState.CRASHED || job.state() == JobState.FAILED;
                    if (!ended && !job.state().isTerminal()) {
                        fresh.add(job);
                    }
                    if (job.state() == JobState.UP && (!worker || job.updatedAt() == null
                            || !job.updatedAt().plus(WORKER_SETTLE).isAfter(now))) {
                        if ("web".equals(job.processType())) {
                            upWeb.add(job.id());
                        } else {
                            tally[0]++;
                        }
                    }
                    if (ended && (job.createdAt() == null || !job.createdAt().isBefore(started))) {
                        tally[1]++;
                        failures.putIfAbsent(job.processType(), job.state().wireName()
                                + (job.reason() == null ? "" : ": " + job.reason()));
                    }
                }
            }
            return new Jobs(fresh, counts, failures, upWeb, allNew, hostUrls);
        }

        /** Per type: ready jobs (for web: up and routed everywhere), failed ones, and stale routed instances. */
        Map<String, Rollout.Tally> tallies(Routing.Verdict routing) {
            Map<String, Rollout.Tally> result = new HashMap<>();
            counts.forEach((type, tally) -> {
                int ready = "web".equals(type) ? (int) upWeb.stream().filter(routing.routed()::contains).count() : tally[0];
                int stale = "web".equals(type) ? routing.stale().size() : 0;
                result.put(type, new Rollout.Tally(ready, tally[1], failures.get(type), stale));
            });
            if (!routing.stale().isEmpty() && !result.containsKey("web")) {
                result.put("web", new Rollout.Tally(0, 0, null, routing.stale().size()));
            }
            return result;
        }

        String hostUrl(String hostId) {
            return hostUrls.get(hostId);
        }
    }
}
