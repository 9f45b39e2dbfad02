package dev.pier.controller.formation;

import dev.pier.controller.support.Now;
import dev.pier.api.EventTypes;
import dev.pier.api.Formation;
import dev.pier.api.FormationUpdate;
import dev.pier.api.Names;
import dev.pier.controller.app.AppEntity;
import dev.pier.controller.app.Apps;
import dev.pier.controller.event.EventLog;
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
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Process counts per (app, release): what the scheduler makes true. */
@Service
public class FormationService {
    private final FormationRepository formations;
    private final ReleaseRepository releases;
    private final Apps apps;
    private final EventLog events;

    public FormationService(FormationRepository formations, ReleaseRepository releases, Apps apps, EventLog events) {
        this.formations = formations;
        this.releases = releases;
        this.apps = apps;
        this.events = events;
    }

    @Transactional
    public Formation put(String appName, String releaseId, FormationUpdate update) {
        AppEntity app = apps.locked(appName);
        ReleaseEntity release = releaseOf(app, releaseId);
        Input.required("body", update);
        Map<String, Integer> processes = validCounts(release, Input.required("processes", update.processes()));
        if (update.memoryMb() == null) {
            return save(app, release.id(), processes);
        }
        return save(app, release.id(), processes, validMemory(release, update.memoryMb()));
    }

    /** Validates memory limits (MB) for process types the release has. */
    static Map<String, Integer> validMemory(ReleaseEntity release, Map<String, Integer> memoryMb) {
        Map<String, Integer> clean = new LinkedHashMap<>();
        memoryMb.forEach((type, mb) -> {
            Input.check("memory_mb", Names.problemWithProcessType(type));
            Input.check("memory_mb." + type, Names.problemWithMemory(type, mb));
            if (!release.processes().containsKey(type)) {
                throw ApiProblem.badRequest("memory_mb." + type, "release v" + release.version()
                        + " has no process type '" + type + "'" + known(release));
            }
            clean.put(type, mb);
        });
        return clean;
    }

    /** Validates counts (0..100) for process types the release has. */
    public static Map<String, Integer> validCounts(ReleaseEntity release, Map<String, Integer> processes) {
        Map<String, Integer> clean = new LinkedHashMap<>();
        processes.forEach((type, count) -> {
            Input.check("processes", Names.problemWithProcessType(type));
            Input.check("processes." + type, Names.problemWithCount(type, count));
            if (!release.processes().containsKey(type)) {
                throw ApiProblem.badRequest("processes." + type, "release v" + release.version()
                        + " has no process type '" + type + "'" + known(release));
            }
            clean.put(type, count);
        });
        return clean;
    }

    private static String known(ReleaseEntity release) {
        return release.processes().isEmpty() ? " (it has no process types yet: push code first)"
                : " (it has: " + String.join(", ", release.processes().keySet()) + ")";
    }

    /**
     * Creates or replaces the counts of a formation of an app the caller has locked. Its memory limits stay; a new
     * formation takes those of the app's current release's (a deployment's new release keeps the sizes).
     */
    public Formation save(AppEntity app, UUID releaseId, Map<String, Integer> processes) {
        return save(app, releaseId, processes, null);
    }

    /** As {@link #save(AppEntity, UUID, Map)}, with the memory limits replaced when {@code memoryMb} is not null. */
    public Formation save(AppEntity app, UUID releaseId, Map<String, Integer> processes,
                          Map<String, Integer> memoryMb) {
        Instant now = Now.instant();
        FormationEntity formation = formations.findById(new FormationEntity.Key(app.id(), releaseId))
                .map(existing -> {
                    existing.scale(processes, now);
                    if (memoryMb != null) {
                        existing.resize(memoryMb, now);
                    }
                    return existing;
                })
                .orElseGet(() -> formations.save(new FormationEntity(app.id(), releaseId, processes,
                        memoryMb != null ? memoryMb : inheritedMemory(app, releaseId), now)));
        Formation record = formation.toRecord(app.name());
        events.append(app.name(), EventTypes.FORMATION, app.id() + ":" + releaseId, record);
        return record;
    }

    private Map<String, Integer> inheritedMemory(AppEntity app, UUID releaseId) {
        if (app.releaseId() == null || app.releaseId().equals(releaseId)) {
            return Map.of();
        }
        return find(app, app.releaseId()).map(FormationEntity::memoryMb).orElse(Map.of());
    }

    public Optional<FormationEntity> find(AppEntity app, UUID releaseId) {
        return releaseId == null ? Optional.empty()
                : formations.findById(new FormationEntity.Key(app.id(), releaseId));
    }

    /** Removes a formation; the event carries it scaled to nothing, so followers stop its jobs. */
    public void remove(AppEntity app, FormationEntity formation) {
        formations.delete(formation);
        formation.scale(Map.of(), Now.instant());
        events.append(app.name(), EventTypes.FORMATION, app.id() + ":" + formation.releaseId(),
                formation.toRecord(app.name()));
    }

    public void removeAll(AppEntity app) {
        formations.findByApp(app.id()).forEach(formation -> remove(app, formation));
    }

    @Transactional(readOnly = true)
    public Formation get(String appName, String releaseId) {
        AppEntity app = apps.live(appName);
        ReleaseEntity release = releaseOf(app, releaseId);
        return find(app, release.id()).map(f -> f.toRecord(app.name()))
                .orElseThrow(() -> ApiProblem.notFound("app '" + appName + "' has no formation for release v"
                        + release.version()));
    }

    @Transactional(readOnly = true)
    public List<Formation> list(String appName) {
        AppEntity app = apps.live(appName);
        return formations.findByApp(app.id()).stream().map(f -> f.toRecord(app.name())).toList();
    }

    /** Every formation of every live app: the scheduler's desired state. */
    @Transactional(readOnly = true)
    public List<Formation> listAll() {
        return formations.findAllLive().stream().map(f -> f.toRecord(apps.nameOf(f.appId()))).toList();
    }

    private ReleaseEntity releaseOf(AppEntity app, String releaseId) {
        UUID id = Input.uuid("release", releaseId);
        return releases.findOfApp(app.id(), id)
                .orElseThrow(() -> ApiProblem.notFound("app '" + app.name() + "' has no release " + id));
    }
}
