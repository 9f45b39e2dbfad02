package dev.pier.scheduler.deploy;

import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.DeploymentUpdate;
import dev.pier.api.Formation;
import dev.pier.api.JobState;
import dev.pier.api.ProcessType;
import dev.pier.api.Release;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostJob;
import dev.pier.api.http.PierApiException;
import dev.pier.scheduler.reconcile.ClusterPort;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives every active deployment one step per pass, on the controller's behalf: it reads what runs,
 * asks {@link Rollout} for the next step, and applies it through the controller (formation counts,
 * deployment status). A process type with no port counts as up once it has run for {@link #WORKER_SETTLE}.
 */
public final class DeploymentRunner {
    public static final Duration WORKER_SETTLE = Duration.ofSeconds(3);
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentRunner.class);

    private final ClusterPort port;
    private final Map<UUID, Instant> lastProgress = new HashMap<>();

    public DeploymentRunner(ClusterPort port) {
        this.port = port;
    }

    /** Moves each active deployment one step; returns whether any formation changed. */
    public boolean step(ClusterView view, List<Formation> formations, Instant now) {
        boolean changed = false;
        for (Deployment deployment : port.activeDeployments()) {
            try {
                changed |= step(deployment, view, formations, now);
            } catch (PierApiException e) {
                LOG.warn("event=deployment_step_failed app={} deployment={} error=\"{}\"", deployment.app(),
                        deployment.id(), e.getMessage());
            }
        }
        lastProgress.keySet().retainAll(port.activeDeployments().stream().map(Deployment::id).toList());
        return changed;
    }

    private boolean step(Deployment deployment, ClusterView view, List<Formation> formations, Instant now) {
        if (deployment.status() == DeploymentStatus.PENDING) {
            deployment = port.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.RUNNING, null));
            LOG.info("event=deployment_running app={} deployment={}", deployment.app(), deployment.id());
        }
        Instant started = deployment.startedAt() != null ? deployment.startedAt() : now;
        lastProgress.putIfAbsent(deployment.id(), now);
        Map<String, Integer> oldNow = countsOf(formations, deployment.app(), deployment.oldReleaseId());
        Map<String, Integer> newNow = countsOf(formations, deployment.app(), deployment.newReleaseId());
        Release release = port.release(deployment.app(), deployment.newReleaseId());
        Map<String, Rollout.Tally> tallies = tallies(view, deployment, release, started, now);
        boolean timedOut = Duration.between(lastProgress.get(deployment.id()), now)
                .compareTo(port.deployTimeout(deployment.app())) > 0;
        Rollout.Step next = Rollout.next(deployment.strategy(), deployment.processes(), oldNow, newNow, tallies, timedOut);
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
            LOG.info("event=deployment_step app={} deployment={} new={} old={}", deployment.app(), deployment.id(),
                    scale.newCounts(), scale.oldCounts());
            if (scale.finishes()) {
                complete(deployment);
            }
            return true;
        }
        if (next instanceof Rollout.Complete) {
            complete(deployment);
            return true;
        }
        if (next instanceof Rollout.Fail fail) {
            port.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.FAILED, fail.reason()));
            LOG.warn("event=deployment_failed app={} deployment={} reason=\"{}\"", deployment.app(), deployment.id(),
                    fail.reason());
            return true;
        }
        return false;
    }

    private void complete(Deployment deployment) {
        port.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.COMPLETE, null));
        LOG.info("event=deployment_complete app={} deployment={}", deployment.app(), deployment.id());
    }

    private static Map<String, Integer> countsOf(List<Formation> formations, String app, UUID releaseId) {
        if (releaseId == null) {
            return Map.of();
        }
        return formations.stream().filter(f -> f.app().equals(app) && f.releaseId().equals(releaseId))
                .findFirst().map(Formation::processes).orElse(Map.of());
    }

    private static Map<String, Rollout.Tally> tallies(ClusterView view, Deployment deployment, Release release,
                                                      Instant started, Instant now) {
        Map<String, int[]> counts = new HashMap<>();
        Map<String, String> failures = new HashMap<>();
        for (ClusterView.Host host : view.hosts()) {
            if (host.lost()) {
                continue;
            }
            for (HostJob job : host.jobs()) {
                if (!deployment.newReleaseId().equals(job.releaseId()) || job.processType() == null) {
                    continue;
                }
                int[] tally = counts.computeIfAbsent(job.processType(), t -> new int[2]);
                ProcessType process = release.processes().get(job.processType());
                boolean worker = process == null || process.port() == null;
                if (job.state() == JobState.UP && (!worker || job.updatedAt() == null
                        || !job.updatedAt().plus(WORKER_SETTLE).isAfter(now))) {
                    tally[0]++;
                }
                boolean ended = job.state() == JobState.CRASHED || job.state() == JobState.FAILED;
                if (ended && (job.createdAt() == null || !job.createdAt().isBefore(started))) {
                    tally[1]++;
                    failures.putIfAbsent(job.processType(), job.state().wireName()
                            + (job.reason() == null ? "" : ": " + job.reason()));
                }
            }
        }
        Map<String, Rollout.Tally> result = new HashMap<>();
        counts.forEach((type, tally) -> result.put(type, new Rollout.Tally(tally[0], tally[1], failures.get(type))));
        return result;
    }
}
