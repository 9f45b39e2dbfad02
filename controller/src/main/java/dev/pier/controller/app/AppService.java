package dev.pier.controller.app;

import dev.pier.controller.support.Now;
import dev.pier.api.App;
import dev.pier.api.AppUpdate;
import dev.pier.api.EventTypes;
import dev.pier.api.NewApp;
import dev.pier.controller.ControllerProperties;
import dev.pier.controller.deploy.DeployService;
import dev.pier.controller.event.EventLog;
import dev.pier.controller.formation.FormationService;
import dev.pier.controller.resource.ResourceRecords;
import dev.pier.controller.route.RouteService;
import dev.pier.controller.support.Input;
import dev.pier.web.ApiProblem;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class AppService {
    private static final Logger LOG = LoggerFactory.getLogger(AppService.class);

    private final AppRepository repository;
    private final Apps apps;
    private final RouteService routes;
    private final FormationService formations;
    private final DeployService deploys;
    private final EventLog events;
    private final ResourceRecords resources;
    private final ControllerProperties properties;
    private final AppNameGenerator names = new AppNameGenerator(new SecureRandom());

    public AppService(AppRepository repository, Apps apps, RouteService routes, FormationService formations,
                      DeployService deploys, EventLog events, ResourceRecords resources,
                      ControllerProperties properties) {
        this.repository = repository;
        this.apps = apps;
        this.routes = routes;
        this.formations = formations;
        this.deploys = deploys;
        this.events = events;
        this.resources = resources;
        this.properties = properties;
    }

    /** Creates an app (named, or with a generated name) and its default route {@code <name>.<domain>}. */
    @Transactional
    public App create(NewApp request) {
        String name = request == null || request.name() == null ? freeName() : Input.appName("name", request.name());
        var meta = Input.meta("meta", request == null ? null : request.meta());
        if (repository.findLive(name).isPresent()) {
            throw ApiProblem.conflict("name", "an app named '" + name + "' already exists");
        }
        AppEntity app = repository.saveAndFlush(new AppEntity(name, meta, Now.instant()));
        App record = app.toRecord();
        events.append(name, EventTypes.APP, app.id(), record);
        routes.add(app, name + "." + properties.defaultDomain(), null, null);
        LOG.info("event=app_created app={} id={}", name, app.id());
        return record;
    }

    private String freeName() {
        for (int i = 0; i < 20; i++) {
            String candidate = names.next();
            if (repository.findLive(candidate).isEmpty()) {
                return candidate;
            }
        }
        throw new IllegalStateException("could not find a free app name in 20 tries");
    }

    @Transactional(readOnly = true)
    public List<App> list() {
        return repository.findAllLive().stream().map(AppEntity::toRecord).toList();
    }

    @Transactional(readOnly = true)
    public App get(String name) {
        return apps.live(name).toRecord();
    }

    @Transactional
    public App update(String name, AppUpdate update) {
        AppEntity app = apps.locked(name);
        Input.required("body", update);
        if (update.deployTimeout() != null && (update.deployTimeout() < 1 || update.deployTimeout() > 3600)) {
            throw ApiProblem.badRequest("deploy_timeout", "deploy_timeout must be between 1 and 3600 seconds");
        }
        app.update(update.meta() == null ? null : Input.meta("meta", update.meta()), update.strategy(),
                update.deployTimeout(), Now.instant());
        App record = app.toRecord();
        events.append(name, EventTypes.APP, app.id(), record);
        return record;
    }

    /**
     * Deletes an app: its formations go (so the scheduler stops its jobs), its routes go, its resources are
     * detached from it (not deprovisioned), an unfinished deployment fails; its events, releases and job history
     * stay. The name is free again at once.
     */
    @Transactional
    public void delete(String name) {
        AppEntity app = apps.locked(name);
        deploys.failActive(app, "app deleted");
        formations.removeAll(app);
        routes.removeAll(app);
        resources.detachAll(app);
        app.markDeleted(Now.instant());
        events.append(name, EventTypes.APP_DELETION, app.id(), app.toRecord());
        LOG.info("event=app_deleted app={} id={}", name, app.id());
    }
}
