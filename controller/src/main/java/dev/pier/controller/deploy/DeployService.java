package dev.pier.controller.deploy;

import dev.pier.controller.support.Now;
import dev.pier.api.DeployStrategy;
import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.EventTypes;
import dev.pier.api.DeploymentUpdate;
import dev.pier.api.NewDeployment;
import dev.pier.controller.app.AppEntity;
import dev.pier.controller.app.Apps;
import dev.pier.controller.event.EventLog;
import dev.pier.controller.formation.FormationEntity;
import dev.pier.controller.formation.FormationService;
import dev.pier.controller.release.ReleaseEntity;
import dev.pier.controller.release.ReleaseRepository;
import dev.pier.controller.support.Input;
import dev.pier.web.ApiProblem;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates deployments: the move of an app from its current release to another. When nothing runs before and
 * nothing is to run after (every count 0), the move is done at once (the new release becomes current and takes
 * over the formation); otherwise the deployment waits, pending, for the deployment runner, which starts the new
 * release's jobs, waits until they serve, and stops the old ones, so that "complete" is true for a client. A
 * first deploy is such a deployment too: it completes once its jobs are up and routed, not when it is made.
 * One deployment at a time per app.
 */
@Service
public class DeployService {
    private static final Logger LOG = LoggerFactory.getLogger(DeployService.class);

    private final DeploymentRepository deployments;
    private final ReleaseRepository releases;
    private final FormationService formations;
    private final Apps apps;
    private final EventLog events;

    public DeployService(DeploymentRepository deployments, ReleaseRepository releases, FormationService formations,
                         Apps apps, EventLog events) {
        this.deployments = deployments;
        this.releases = releases;
        this.formations = formations;
        this.apps = apps;
        this.events = events;
    }

    @Transactional
    public Deployment create(String appName, NewDeployment request) {
        AppEntity app = apps.locked(appName);
        Input.required("body", request);
        UUID releaseId = Input.required("release_id", request.releaseId());
        ReleaseEntity release = releases.findOfApp(app.id(), releaseId)
                .orElseThrow(() -> ApiProblem.badRequest("release_id", "app '" + appName + "' has no release "
                        + releaseId));
        if (release.id().equals(app.releaseId())) {
            throw ApiProblem.conflict("release_id", "release v" + release.version() + " is already the current "
                    + "release of '" + appName + "'");
        }
        return deploy(app, release, request.strategy());
    }

    /** Deploys {@code release} to an app the caller has locked. */
    public Deployment deploy(AppEntity app, ReleaseEntity release, DeployStrategy strategy) {
        requireNoneActive(app);
        Optional<FormationEntity> old = formations.find(app, app.releaseId());
        Map<String, Integer> processes = carriedOver(old, release);
        DeploymentEntity deployment = new DeploymentEntity(app.id(), app.releaseId(), release.id(),
                strategy == null ? app.strategy() : strategy, processes,
                old.map(FormationEntity::processes).orElse(Map.of()), Now.instant());
        boolean nothingToMove = old.map(FormationEntity::isEmpty).orElse(true)
                && processes.values().stream().allMatch(count -> count == 0);
        if (nothingToMove) {
            deployment.moveTo(DeploymentStatus.COMPLETE, null, Now.instant());
        } else {
            deployment.setStep("waiting for the scheduler");
        }
        deployments.saveAndFlush(deployment);
        Deployment record = deployment.toRecord(app.name());
        events.append(app.name(), EventTypes.DEPLOYMENT, deployment.id(), record);
        if (nothingToMove) {
            switchRelease(app, release, processes, old);
        }
        LOG.info("event=deployment_created app={} deployment={} release={} status={}", app.name(), deployment.id(),
                release.id(), record.status().wireName());
        return record;
    }

    /**
     * The new release's counts: the old formation's, for the process types the new release still has; a web
     * process the old formation never had (a first deploy, or the first code after config-only releases) runs
     * once, as Heroku and Flynn do. A type scaled to 0 stays at 0.
     */
    static Map<String, Integer> carriedOver(Optional<FormationEntity> old, ReleaseEntity release) {
        Map<String, Integer> processes = new LinkedHashMap<>();
        old.ifPresent(formation -> formation.processes().forEach((type, count) -> {
            if (release.processes().containsKey(type)) {
                processes.put(type, count);
            }
        }));
        boolean webKnown = old.map(formation -> formation.processes().containsKey("web")).orElse(false);
        if (release.processes().containsKey("web") && !webKnown) {
            processes.put("web", 1);
        }
        return processes;
    }

    /** The old formation's memory limits, for the process types the new release still has. */
    static Map<String, Integer> carriedOverMemory(Optional<FormationEntity> old, ReleaseEntity release) {
        Map<String, Integer> memory = new LinkedHashMap<>();
        old.ifPresent(formation -> formation.memoryMb().forEach((type, mb) -> {
            if (release.processes().containsKey(type)) {
                memory.put(type, mb);
            }
        }));
        return memory;
    }

    private void switchRelease(AppEntity app, ReleaseEntity release, Map<String, Integer> processes,
                               Optional<FormationEntity> old) {
        // the memory limits go with the counts: those the new formation has (the runner made it), else the old's
        Map<String, Integer> memory = formations.find(app, release.id()).map(FormationEntity::memoryMb)
                .filter(m -> !m.isEmpty()).orElseGet(() -> carriedOverMemory(old, release));
        old.ifPresent(formation -> formations.remove(app, formation));
        formations.save(app, release.id(), processes, memory);
        app.setRelease(release.id(), Now.instant());
        events.append(app.name(), EventTypes.APP_RELEASE, app.id(), app.toRecord());
    }

    /** The app's unfinished deployment, if any. */
    public Optional<UUID> active(AppEntity app) {
        return deployments.findActive(app.id()).map(DeploymentEntity::id);
    }

    public void requireNoneActive(AppEntity app) {
        deployments.findActive(app.id()).ifPresent(active -> {
            throw ApiProblem.conflict(null, "deployment " + active.id() + " of '" + app.name()
                    + "' is still " + active.status().wireName() + "; wait for it to finish");
        });
    }

    /** Fails the app's unfinished deployment, if any (the app is being deleted). */
    public void failActive(AppEntity app, String reason) {
        deployments.findActive(app.id()).ifPresent(active -> {
            active.moveTo(DeploymentStatus.FAILED, reason, Now.instant());
            events.append(app.name(), EventTypes.DEPLOYMENT, active.id(), active.toRecord(app.name()));
        });
    }

    /**
     * The runner's move of a deployment. {@code running} marks it started; {@code complete} makes the new
     * release current with its formation (the old formation goes); {@code failed} restores the old release's
     * counts, removes the new formation and records why. Only moves the status table allows. {@code step} says
     * what a running deployment does now: each change of it is an event.
     */
    @Transactional
    public Deployment update(String id, DeploymentUpdate update) {
        UUID uuid = Input.uuid("id", id);
        Input.required("body", update);
        DeploymentStatus next = Input.required("status", update.status());
        if (update.error() != null && update.error().length() > 4000) {
            throw ApiProblem.badRequest("error", "error must be at most 4000 characters");
        }
        if (update.step() != null && update.step().length() > 1000) {
            throw ApiProblem.badRequest("step", "step must be at most 1000 characters");
        }
        DeploymentEntity found = deployments.findById(uuid)
                .orElseThrow(() -> ApiProblem.notFound("deployment " + uuid + " not found"));
        AppEntity app = apps.locked(apps.nameOf(found.appId()));
        DeploymentEntity deployment = deployments.findById(uuid).orElseThrow();
        if (!deployment.status().canMoveTo(next)) {
            throw ApiProblem.conflict("status", "deployment " + uuid + " cannot move from "
                    + deployment.status().wireName() + " to " + next.wireName());
        }
        if (deployment.status() == next) {
            if (update.step() != null && !next.isFinished() && deployment.setStep(update.step())) {
                Deployment record = deployment.toRecord(app.name());
                events.append(app.name(), EventTypes.DEPLOYMENT, deployment.id(), record);
                return record;
            }
            return deployment.toRecord(app.name());
        }
        if (next == DeploymentStatus.FAILED && (update.error() == null || update.error().isBlank())) {
            throw ApiProblem.badRequest("error", "a failed deployment needs the reason in error");
        }
        deployment.moveTo(next, update.error(), Now.instant());
        deployment.setStep(next.isFinished() ? null : update.step());
        ReleaseEntity release = releases.findById(deployment.newReleaseId()).orElseThrow();
        if (next == DeploymentStatus.COMPLETE) {
            switchRelease(app, release, deployment.processes(), formations.find(app, deployment.oldReleaseId()));
        } else if (next == DeploymentStatus.FAILED) {
            formations.find(app, deployment.newReleaseId()).ifPresent(formation -> formations.remove(app, formation));
            if (deployment.oldReleaseId() != null) {
                formations.save(app, deployment.oldReleaseId(), deployment.oldProcesses());
            }
        }
        Deployment record = deployment.toRecord(app.name());
        events.append(app.name(), EventTypes.DEPLOYMENT, deployment.id(), record);
        LOG.info("event=deployment_{} app={} deployment={} error=\"{}\"", next.wireName(), app.name(), uuid,
                update.error() == null ? "" : update.error());
        return record;
    }

    /** Every pending or running deployment, oldest first: the runner's work list. */
    @Transactional(readOnly = true)
    public List<Deployment> listActive() {
        return deployments.findAllActive().stream().map(d -> d.toRecord(apps.nameOf(d.appId()))).toList();
    }

    @Transactional(readOnly = true)
    public List<Deployment> list(String appName) {
        AppEntity app = apps.live(appName);
        return deployments.findByApp(app.id()).stream().map(d -> d.toRecord(app.name())).toList();
    }

    @Transactional(readOnly = true)
    public Deployment get(String id) {
        UUID uuid = Input.uuid("id", id);
        DeploymentEntity deployment = deployments.findById(uuid)
                .orElseThrow(() -> ApiProblem.notFound("deployment " + uuid + " not found"));
        return deployment.toRecord(apps.nameOf(deployment.appId()));
    }
}
