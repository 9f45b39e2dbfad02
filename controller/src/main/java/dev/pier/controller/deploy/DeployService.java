package dev.pier.controller.deploy;

import dev.pier.controller.support.Now;
import dev.pier.api.DeployStrategy;
import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.EventTypes;
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
                strategy == null ? app.strategy() : strategy, processes, Now.instant());
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

    private void switchRelease(AppEntity app, ReleaseEntity release, Map<String, Integer> processes,
                               Optional<FormationEntity> old) {
        old.ifPresent(formation -> formations.remove(app, formation));
        formations.save(app, release.id(), processes);
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
