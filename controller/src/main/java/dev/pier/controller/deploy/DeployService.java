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
 * Creates deployments: the move of an app from its current release to another. When nothing of the old
 * release runs, the move is done at once (the new release becomes current and takes over the formation);
 * otherwise the deployment waits, pending, for the deployment runner, which replaces old jobs with new ones.
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
        boolean nothingRunning = old.map(FormationEntity::isEmpty).orElse(true);
        if (nothingRunning) {
            deployment.moveTo(DeploymentStatus.COMPLETE, null, Now.instant());
        }
        deployments.saveAndFlush(deployment);
        Deployment record = deployment.toRecord(app.name());
        events.append(app.name(), EventTypes.DEPLOYMENT, deployment.id(), record);
        if (nothingRunning) {
            switchRelease(app, release, processes, old);
        }
        LOG.info("event=deployment_created app={} deployment={} release={} status={}", app.name(), deployment.id(),
                release.id(), record.status().wireName());
        return record;
    }

    /**
     * The new release's counts: the old formation's, for the process types the new release still has; on a
     * first deploy (no formation yet), one web process when the release has one, as Heroku and Flynn do.
     */
    static Map<String, Integer> carriedOver(Optional<FormationEntity> old, ReleaseEntity release) {
        Map<String, Integer> processes = new LinkedHashMap<>();
        if (old.isPresent()) {
            old.get().processes().forEach((type, count) -> {
                if (release.processes().containsKey(type)) {
                    processes.put(type, count);
                }
            });
        } else if (release.processes().containsKey("web")) {
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
     * counts, removes the new formation and records why. Only moves the status table allows.
     */
    @Transactional
    public Deployment update(String id, DeploymentUpdate update) {
        UUID uuid = Input.uuid("id", id);
        Input.required("body", update);
        DeploymentStatus next = Input.required("status", update.status());
        if (update.error() != null && update.error().length() > 2000) {
            throw ApiProblem.badRequest("error", "error must be at most 2000 characters");
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
            return deployment.toRecord(app.name());
        }
        if (next == DeploymentStatus.FAILED && (update.error() == null || update.error().isBlank())) {
            throw ApiProblem.badRequest("error", "a failed deployment needs the reason in error");
        }
        deployment.moveTo(next, update.error(), Now.instant());
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
