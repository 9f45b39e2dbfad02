package dev.pier.controller.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pier.api.Artifact;
import dev.pier.api.Build;
import dev.pier.api.BuildResult;
import dev.pier.api.EventTypes;
import dev.pier.api.LogLine;
import dev.pier.api.NewArtifact;
import dev.pier.api.ReleaseChange;
import dev.pier.api.http.Json;
import dev.pier.controller.app.AppEntity;
import dev.pier.controller.app.Apps;
import dev.pier.controller.artifact.ArtifactService;
import dev.pier.controller.event.EventLog;
import dev.pier.controller.release.ReleaseService;
import dev.pier.controller.support.Now;
import dev.pier.web.ApiProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A build's rows, each change in a transaction of its own with its event: made (one active build per app),
 * building, and its end. A successful end makes the artifact, the release and the deployment in the same
 * transaction as the build's own move to {@code succeeded}, so a build never says it succeeded without them.
 */
@Service
public class BuildRecords {
    private final BuildRepository builds;
    private final BuildLogRepository logs;
    private final Apps apps;
    private final ArtifactService artifacts;
    private final ReleaseService releases;
    private final dev.pier.controller.deploy.DeployService deploys;
    private final EventLog events;

    public BuildRecords(BuildRepository builds, BuildLogRepository logs, Apps apps, ArtifactService artifacts,
                        ReleaseService releases, dev.pier.controller.deploy.DeployService deploys, EventLog events) {
        this.builds = builds;
        this.logs = logs;
        this.apps = apps;
        this.artifacts = artifacts;
        this.releases = releases;
        this.deploys = deploys;
        this.events = events;
    }

    /** A new pending build; a 409 naming the app's build under way when there is one. */
    @Transactional
    public Build create(String appName, String source, String commit, String description, String slugPath) {
        AppEntity app = apps.locked(appName);
        builds.findActive(app.id()).ifPresent(active -> {
            throw ApiProblem.conflict(null, "build " + active.id() + " of '" + appName + "' is still "
                    + active.state().wireName() + "; wait for it ('pier build log " + active.id() + "')");
        });
        BuildEntity build = builds.saveAndFlush(new BuildEntity(app.id(), source, commit, description, slugPath,
                Now.instant()));
        return said(app.name(), build);
    }

    @Transactional
    public Build building(UUID id, String jobId, String hostId) {
        BuildEntity build = builds.findById(id).orElseThrow();
        build.building(jobId, hostId, Now.instant());
        return said(apps.nameOf(build.appId()), build);
    }

    @Transactional
    public Build failed(UUID id, String reason, List<LogLine> output) {
        BuildEntity build = builds.findById(id).orElseThrow();
        if (build.state().isFinished()) {
            return build.toRecord(apps.nameOf(build.appId()));
        }
        build.failed(reason.length() > 4000 ? reason.substring(0, 4000) + "…" : reason, Now.instant());
        keep(id, output);
        return said(apps.nameOf(build.appId()), build);
    }

    /** What finishing a successful build came to: the build, or the deployment it must wait for first. */
    public record Finish(Build build, UUID waitFor) {
    }

    /**
     * Releases and deploys a successful build, unless the app has a deployment under way: then nothing changes
     * and the answer names it (the caller waits and asks again).
     */
    @Transactional
    public Finish succeeded(UUID id, BuildResult result, String slugUri, List<LogLine> output) {
        BuildEntity build = builds.findById(id).orElseThrow();
        String name = apps.nameOf(build.appId());
        AppEntity app = apps.locked(name); // 404 when it was deleted meanwhile
        if (!app.id().equals(build.appId())) {
            throw ApiProblem.notFound("app '" + name + "' was deleted during the build (a new app has its name)");
        }
        Optional<UUID> active = deploys.active(app);
        if (active.isPresent()) {
            return new Finish(null, active.get());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        if (build.commit() != null) {
            meta.put("commit", build.commit());
        }
        meta.put("buildpack", String.valueOf(result.buildpack()));
        meta.put("build", build.id().toString());
        meta.put("build_job", build.jobId());
        Artifact artifact = artifacts.create(new NewArtifact(Artifact.SLUG, slugUri, result.slugSha256(),
                result.slugSize(), meta));
        Map<String, String> releaseMeta = new LinkedHashMap<>();
        if (build.commit() != null) {
            releaseMeta.put("commit", build.commit());
        }
        releaseMeta.put("build", build.id().toString());
        String description = build.description() != null ? build.description()
                : build.commit() != null ? "git push " + build.commit().substring(0, Math.min(7, build.commit().length()))
                : "build " + build.id();
        ReleaseChange change = releases.releaseBuild(app, artifact.id(), ReleasePlan.processes(result.processTypes()),
                releaseMeta, description);
        build.succeeded(result.buildpack(), result.processTypes(), artifact.id(), change.release().id(),
                change.release().version(), change.deployment() == null ? null : change.deployment().id(), Now.instant());
        keep(id, output);
        return new Finish(said(app.name(), build), null);
    }

    @Transactional(readOnly = true)
    public List<Build> list(String appName, int limit) {
        AppEntity app = apps.live(appName);
        return builds.findByApp(app.id(), limit).stream().map(b -> b.toRecord(app.name())).toList();
    }

    @Transactional(readOnly = true)
    public Build get(String appName, String id) {
        AppEntity app = apps.live(appName);
        UUID uuid = dev.pier.controller.support.Input.uuid("id", id);
        return builds.findById(uuid).filter(b -> b.appId().equals(app.id())).map(b -> b.toRecord(app.name()))
                .orElseThrow(() -> ApiProblem.notFound("app '" + appName + "' has no build " + uuid));
    }

    /** A build under way, and where its slug goes. */
    public record Active(Build build, String slugPath) {
    }

    /** Every pending or building build, oldest first (a starting controller follows them again). */
    @Transactional(readOnly = true)
    public List<Active> active() {
        return builds.findAllActive().stream()
                .map(b -> new Active(b.toRecord(apps.nameOf(b.appId())), b.slugPath())).toList();
    }

    /** The kept output of a finished build (empty when it has none). */
    @Transactional(readOnly = true)
    public List<LogLine> output(UUID id) {
        List<LogLine> lines = new ArrayList<>();
        logs.findById(id).ifPresent(log -> log.lines().lines().filter(l -> !l.isBlank()).forEach(l -> {
            try {
                lines.add(Json.mapper().readValue(l, LogLine.class));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("build " + id + " has an unreadable log line", e);
            }
        }));
        return lines;
    }

    private void keep(UUID id, List<LogLine> output) {
        if (output == null || logs.existsById(id)) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (LogLine line : output) {
            try {
                text.append(Json.mapper().writeValueAsString(line)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        logs.save(new BuildLogEntity(id, text.toString()));
    }

    private Build said(String appName, BuildEntity build) {
        Build record = build.toRecord(appName);
        events.append(appName, EventTypes.BUILD, build.id(), record);
        return record;
    }
}
