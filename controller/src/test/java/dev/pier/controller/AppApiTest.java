package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.App;
import dev.pier.api.AppUpdate;
import dev.pier.api.DeployStrategy;
import dev.pier.api.EventTypes;
import dev.pier.api.NewApp;
import dev.pier.api.Route;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppApiTest extends ControllerTestSupport {

    @Test
    void createGetListUpdateDelete() {
        String name = uniqueName("shop");
        App created = client.createApp(new NewApp(name, Map.of("owner", "ana")));
        assertThat(created.name()).isEqualTo(name);
        assertThat(created.meta()).containsEntry("owner", "ana");
        assertThat(created.strategy()).isEqualTo(DeployStrategy.ONE_BY_ONE);
        assertThat(created.releaseId()).isNull();

        assertThat(client.app(name)).isEqualTo(created);
        assertThat(client.apps()).extracting(App::name).contains(name);

        App updated = client.updateApp(name, new AppUpdate(Map.of("owner", "bo"), DeployStrategy.ALL_AT_ONCE, 60));
        assertThat(updated.meta()).containsExactly(Map.entry("owner", "bo"));
        assertThat(updated.strategy()).isEqualTo(DeployStrategy.ALL_AT_ONCE);
        assertThat(updated.deployTimeout()).isEqualTo(60);

        client.deleteApp(name);
        assertProblem(() -> client.app(name), 404, "app '" + name + "' not found");
        assertThat(client.apps()).extracting(App::name).doesNotContain(name);
        assertProblem(() -> client.deleteApp(name), 404, "not found");
    }

    @Test
    void anAppWithoutANameGetsAGeneratedOne() {
        App app = client.createApp(null);
        assertThat(app.name()).matches("^[a-z]+-[a-z]+-[0-9]{4}$");
        assertThat(client.app(app.name()).id()).isEqualTo(app.id());
    }

    @Test
    void everyAppGetsItsDefaultRoute() {
        App app = newApp("routed");
        assertThat(client.routes(app.name())).extracting(Route::domain, Route::service)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(app.name() + ".pier.localhost", app.name() + "-web"));
    }

    @Test
    void deletingAnAppRemovesItsRoutesAndFormationsKeepsItsEventsAndFreesTheName() {
        App app = newApp("gone");
        var release = webRelease(app.name(), Map.of());
        client.scale(app.name(), release.id(), Map.of("web", 2));
        client.deleteApp(app.name());

        assertThat(client.allRoutes()).extracting(Route::app).doesNotContain(app.name());
        assertThat(client.allFormations()).extracting(f -> f.app()).doesNotContain(app.name());
        assertThat(client.events(app.name(), Set.of(), 0L, 1000)).extracting(e -> e.objectType())
                .contains(EventTypes.APP, EventTypes.FORMATION, EventTypes.APP_DELETION, EventTypes.ROUTE_DELETION);

        App again = client.createApp(NewApp.named(app.name()));
        assertThat(again.id()).isNotEqualTo(app.id());
        assertThat(client.routes(again.name())).hasSize(1);
    }

    @Test
    void duplicateNamesAreConflicts() {
        App app = newApp("twin");
        assertProblem(() -> client.createApp(NewApp.named(app.name())), 409, "already exists");
    }

    @Test
    void healthIsOpenAndOpenApiDescribesTheApi() throws Exception {
        var health = raw("GET", "/health", null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"database\":\"ok\"");
        var openapi = raw("GET", "/openapi.json", null);
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(openapi.body()).contains("\"/apps/{app}/releases\"", "\"/events\"", "\"/keys/{fingerprint}\"");
    }
}
