package dev.pier.controller.release;

import dev.pier.controller.support.Now;
import dev.pier.api.EventTypes;
import dev.pier.api.HealthCheck;
import dev.pier.api.Names;
import dev.pier.api.NewRelease;
import dev.pier.api.ProcessType;
import dev.pier.api.ProcessVolume;
import dev.pier.api.Release;
import dev.pier.api.ReleaseChange;
import dev.pier.controller.app.AppEntity;
import dev.pier.controller.app.Apps;
import dev.pier.controller.artifact.ArtifactRepository;
import dev.pier.controller.deploy.DeployService;
import dev.pier.controller.event.EventLog;
import dev.pier.controller.support.Input;
import dev.pier.web.ApiProblem;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Releases are immutable. Every change of config or code makes a new one, numbered v1, v2, ... per app;
 * the app's row lock serialises their creation, so concurrent changes never lose one another.
 */
@Service
public class ReleaseService {
    public static final int MAX_PROCESS_TYPES = 50;

    private final ReleaseRepository releases;
    private final ArtifactRepository artifacts;
    private final DeployService deploys;
    private final Apps apps;
    private final EventLog events;

    public ReleaseService(ReleaseRepository releases, ArtifactRepository artifacts, DeployService deploys, Apps apps,
                          EventLog events) {
        this.releases = releases;
        this.artifacts = artifacts;
        this.deploys = deploys;
        this.apps = apps;
        this.events = events;
    }

    @Transactional
    public Release create(String appName, NewRelease request) {
        AppEntity app = apps.locked(appName);
        Input.required("body", request);
        if (request.artifactId() != null && !artifacts.existsById(request.artifactId())) {
            throw ApiProblem.badRequest("artifact_id", "no artifact " + request.artifactId());
        }
        return save(app, request.artifactId(), Input.env("env", request.env()), processes(request.processes()),
                Input.meta("meta", request.meta()), description(request.description()));
    }

    private ReleaseEntity saveEntity(AppEntity app, UUID artifactId, Map<String, String> env,
                                     Map<String, ProcessType> processes, Map<String, String> meta, String description) {
        ReleaseEntity release = releases.saveAndFlush(new ReleaseEntity(app.id(), releases.maxVersion(app.id()) + 1,
                artifactId, env, processes, meta, description, Now.instant()));
        events.append(app.name(), EventTypes.RELEASE, release.id(), release.toRecord(app.name()));
        return release;
    }

    private Release save(AppEntity app, UUID artifactId, Map<String, String> env, Map<String, ProcessType> processes,
                         Map<String, String> meta, String description) {
        return saveEntity(app, artifactId, env, processes, meta, description).toRecord(app.name());
    }

    /**
     * Sets ({@code value} non-null) and unsets ({@code value} null) config vars: a new release from the
     * current one, deployed. No change, no new release.
     */
    @Transactional
    public ReleaseChange changeEnv(String appName, Map<String, String> changes) {
        AppEntity app = apps.locked(appName);
        Input.required("body", changes);
        if (changes.isEmpty()) {
            throw ApiProblem.badRequest("body", "name at least one config var to set or unset");
        }
        ReleaseEntity current = current(app);
        Map<String, String> env = new LinkedHashMap<>(current == null ? Map.of() : current.env());
        changes.forEach((name, value) -> {
            Input.check("env", Names.problemWithEnvName(name));
            Input.check("env." + name, Names.problemWithEnvValue(name, value));
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
        });
        if (current != null && env.equals(current.env())) {
            return new ReleaseChange(current.toRecord(app.name()), null);
        }
        deploys.requireNoneActive(app);
        String description = "Set " + summary(changes);
        ReleaseEntity release = saveEntity(app, current == null ? null : current.artifactId(), env,
                current == null ? Map.of() : current.processes(), current == null ? Map.of() : current.meta(),
                description);
        return new ReleaseChange(release.toRecord(app.name()), deploys.deploy(app, release, null));
    }

    /**
     * A build's release, deployed: the build's artifact and processes with the app's config vars as they are now
     * (not as they were when the build began), on an app the caller has locked and checked has no deployment
     * under way.
     */
    public ReleaseChange releaseBuild(AppEntity app, UUID artifactId, Map<String, ProcessType> processes,
                                      Map<String, String> meta, String description) {
        ReleaseEntity current = current(app);
        ReleaseEntity release = saveEntity(app, artifactId, current == null ? Map.of() : current.env(),
                processes(processes), Input.meta("meta", meta), description(description));
        return new ReleaseChange(release.toRecord(app.name()), deploys.deploy(app, release, null));
    }

    private static String summary(Map<String, String> changes) {
        StringBuilder text = new StringBuilder();
        changes.forEach((name, value) -> {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(value == null ? "-" : "").append(name);
        });
        return text.length() > 200 ? text.substring(0, 200) + "…" : text.toString();
    }

    /**
     * Rolls back to {@code releaseId} (null: the release before the current one) by deploying a NEW release
     * copied from it, as Heroku does: history only grows.
     */
    @Transactional
    public ReleaseChange rollback(String appName, String releaseId) {
        AppEntity app = apps.locked(appName);
        ReleaseEntity current = current(app);
        if (current == null) {
            throw ApiProblem.conflict(null, "'" + appName + "' has no release to roll back from");
        }
        ReleaseEntity target;
        if (releaseId == null) {
            target = releases.findByVersion(app.id(), current.version() - 1)
                    .orElseThrow(() -> ApiProblem.conflict(null, "'" + appName + "' is at v" + current.version()
                            + ": there is no earlier release to roll back to"));
        } else {
            UUID id = Input.uuid("release", releaseId);
            target = releases.findOfApp(app.id(), id)
                    .orElseThrow(() -> ApiProblem.notFound("app '" + appName + "' has no release " + id));
        }
        deploys.requireNoneActive(app);
        Map<String, String> meta = new LinkedHashMap<>(target.meta());
        meta.put("rollback_of", target.id().toString());
        ReleaseEntity release = saveEntity(app, target.artifactId(), target.env(), target.processes(), meta,
                "Rollback to v" + target.version());
        return new ReleaseChange(release.toRecord(app.name()), deploys.deploy(app, release, null));
    }

    /**
     * Not in a transaction: one statement, consistent by itself, needs none, and a transaction would cost a round
     * trip to PostgreSQL for its end (a fifth of this hot read's time).
     */
    public List<Release> list(String appName, int limit) {
        if (limit < 1 || limit > 1000) {
            apps.live(appName); // an unknown app is a 404 before a bad limit is a 400
            throw ApiProblem.badRequest("limit", "limit must be between 1 and 1000");
        }
        // The hot read of the API: one query; only an empty answer asks whether the app exists at all.
        List<ReleaseEntity> newestFirst = releases.findByLiveAppNameNewestFirst(Input.appName("app", appName), limit);
        if (newestFirst.isEmpty()) {
            apps.live(appName);
        }
        return newestFirst.stream().map(r -> r.toRecord(appName)).toList();
    }

    @Transactional(readOnly = true)
    public Release get(String appName, String releaseId) {
        AppEntity app = apps.live(appName);
        UUID id = Input.uuid("release", releaseId);
        return releases.findOfApp(app.id(), id).map(r -> r.toRecord(app.name()))
                .orElseThrow(() -> ApiProblem.notFound("app '" + appName + "' has no release " + id));
    }

    @Transactional(readOnly = true)
    public Release current(String appName) {
        AppEntity app = apps.live(appName);
        ReleaseEntity current = current(app);
        if (current == null) {
            throw ApiProblem.notFound("'" + appName + "' has no release yet");
        }
        return current.toRecord(app.name());
    }

    /** The current release, if the app has one yet. */
    @Transactional(readOnly = true)
    public java.util.Optional<Release> currentIfAny(String appName) {
        return currentIfAny(apps.live(appName));
    }

    /** The current release of an app already looked up, if it has one yet. */
    @Transactional(readOnly = true)
    public java.util.Optional<Release> currentIfAny(AppEntity app) {
        return java.util.Optional.ofNullable(current(app)).map(r -> r.toRecord(app.name()));
    }

    /** The current release's config vars; none before the first release. */
    @Transactional(readOnly = true)
    public Map<String, String> env(String appName) {
        ReleaseEntity current = current(apps.live(appName));
        return current == null ? Map.of() : Map.copyOf(current.env());
    }

    private ReleaseEntity current(AppEntity app) {
        return app.releaseId() == null ? null : releases.findById(app.releaseId()).orElseThrow();
    }

    private static String description(String description) {
        if (description != null && (description.length() > 500 || description.chars().anyMatch(c -> c < 32))) {
            throw ApiProblem.badRequest("description", "description must be one line of at most 500 characters");
        }
        return description;
    }

    /** Checks process types: names, a command, a port in range, a sane health check. */
    static Map<String, ProcessType> processes(Map<String, ProcessType> processes) {
        if (processes == null) {
            return Map.of();
        }
        if (processes.size() > MAX_PROCESS_TYPES) {
            throw ApiProblem.badRequest("processes", "a release has at most " + MAX_PROCESS_TYPES + " process types");
        }
        Map<String, ProcessType> clean = new LinkedHashMap<>();
        processes.forEach((name, process) -> {
            Input.check("processes", Names.problemWithProcessType(name));
            String field = "processes." + name;
            Input.required(field, process);
            String command = process.command();
            if (command == null || command.isBlank() || command.length() > 4096 || command.indexOf('\0') >= 0) {
                throw ApiProblem.badRequest(field + ".command", "process type '" + name
                        + "' needs a command of 1 to 4096 characters");
            }
            if (process.port() != null && (process.port() < 1 || process.port() > 65535)) {
                throw ApiProblem.badRequest(field + ".port", "port must be between 1 and 65535");
            }
            if (process.hostPort() != null) {
                if (process.port() == null) {
                    throw ApiProblem.badRequest(field + ".host_port", "a host port needs a port to publish");
                }
                if (process.hostPort() < 1024 || process.hostPort() > 65535) {
                    throw ApiProblem.badRequest(field + ".host_port", "host_port must be between 1024 and 65535, not "
                            + process.hostPort());
                }
            }
            if (process.volumes().size() > ProcessVolume.MAX_PER_TYPE) {
                throw ApiProblem.badRequest(field + ".volumes", "process type '" + name + "' has "
                        + process.volumes().size() + " volumes; at most " + ProcessVolume.MAX_PER_TYPE);
            }
            java.util.Set<String> paths = new java.util.HashSet<>();
            for (ProcessVolume volume : process.volumes()) {
                Input.required(field + ".volumes", volume);
                volume.problem().ifPresent(problem -> {
                    throw ApiProblem.badRequest(field + ".volumes", problem);
                });
                if (!paths.add(volume.path())) {
                    throw ApiProblem.badRequest(field + ".volumes", "two volumes of process type '" + name
                            + "' are mounted at " + volume.path());
                }
            }
            HealthCheck check = process.healthCheck();
            if (check != null) {
                if (process.port() == null) {
                    throw ApiProblem.badRequest(field + ".health_check", "a health check needs a port");
                }
                check.problem().ifPresent(problem -> {
                    throw ApiProblem.badRequest(field + ".health_check." + problem.field(), problem.message());
                });
            }
            clean.put(name, Objects.requireNonNull(process));
        });
        return clean;
    }
}
