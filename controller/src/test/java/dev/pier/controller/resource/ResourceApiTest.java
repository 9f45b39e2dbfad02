package dev.pier.controller.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.App;
import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.DeploymentUpdate;
import dev.pier.api.Event;
import dev.pier.api.EventTypes;
import dev.pier.api.NewProvider;
import dev.pier.api.NewResource;
import dev.pier.api.Provider;
import dev.pier.api.Release;
import dev.pier.api.Resource;
import dev.pier.api.http.PierApiException;
import dev.pier.api.provider.TestProvider;
import dev.pier.controller.ControllerTestSupport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Providers and resources on the real controller and PostgreSQL, with a real provider served over HTTP (a test
 * provider that hands out config vars). Attaching and detaching are checked the way {@code pier env set} is: a new
 * release, deployed, and current once the deployment completes.
 */
class ResourceApiTest extends ControllerTestSupport {
    private TestProvider database;
    private Provider databaseProvider;

    @BeforeEach
    void provider() throws Exception {
        database = new TestProvider(KEY, "DATABASE_URL", "PGPASSWORD");
        databaseProvider = client.createProvider(new NewProvider(uniqueName("pg"), database.url().toString(),
                "a test database"));
    }

    @AfterEach
    void stop() {
        database.close();
    }

    private Provider another(TestProvider provider) {
        return client.createProvider(new NewProvider(uniqueName("p"), provider.url().toString(), null));
    }

    /** Stands in for the scheduler's runner: completes the deployment an attach or detach started. */
    private void complete(String app, Deployment deployment) {
        if (deployment.status().isFinished()) {
            return;
        }
        client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.RUNNING, null));
        client.scale(app, deployment.newReleaseId(), deployment.processes());
        client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.COMPLETE, null));
    }

    private List<Event> events(String app, String type, UUID resource) {
        return client.events(app, Set.of(type), 0L, 1000).stream()
                .filter(e -> resource.toString().equals(e.objectId())).toList();
    }

    @Test
    void providersAreRegisteredOncePerNameWithAUsableUrl() {
        assertThat(databaseProvider.url()).isEqualTo(database.url().toString());
        assertThat(client.provider(databaseProvider.name())).isEqualTo(databaseProvider);
        assertThat(client.providers()).contains(databaseProvider);
        assertProblem(() -> client.createProvider(new NewProvider(databaseProvider.name(), "http://127.0.0.1:1", null)),
                409, "a provider named '" + databaseProvider.name() + "' exists already");
        assertProblem(() -> client.createProvider(new NewProvider("Bad Name", "http://127.0.0.1:1", null)), 400,
                "provider name 'Bad Name' is invalid");
        assertProblem(() -> client.createProvider(new NewProvider(uniqueName("p"), "ftp://x", null)), 400,
                "neither http(s)://HOST[:PORT] nor discoverd+http://SERVICE");
        assertProblem(() -> client.createProvider(new NewProvider(uniqueName("p"), "discoverd+http://Bad_Service",
                null)), 400, "service name 'Bad_Service' is invalid");
        Provider found = client.createProvider(new NewProvider(uniqueName("p"), "discoverd+http://pier-postgres-api",
                null));
        assertThat(found.url()).isEqualTo("discoverd+http://pier-postgres-api");
        assertProblem(() -> client.provider("no-such-provider"), 404, "no provider 'no-such-provider'");
        assertThat(client.events(null, Set.of(EventTypes.PROVIDER), 0L, 1000)).extracting(Event::objectId)
                .contains(databaseProvider.id().toString(), found.id().toString());
    }

    @Test
    void provisioningWithAnAppSetsItsEnvAsANewReleaseThatBecomesCurrent() {
        App app = newApp("res");
        Release code = webRelease(app.name(), Map.of("GREETING", "hi"));
        deployed(app.name(), code);

        Resource resource = client.provision(databaseProvider.name(),
                new NewResource(List.of(app.name()), Map.of("plan", "small")));
        assertThat(resource.provider()).isEqualTo(databaseProvider.name());
        assertThat(database.held()).containsExactly(resource.externalId());
        assertThat(database.lastConfig().path("plan").asText()).isEqualTo("small");
        assertThat(resource.env()).containsOnlyKeys("DATABASE_URL", "PGPASSWORD");
        assertThat(resource.apps()).containsExactly(app.name());
        assertThat(resource.releases()).singleElement().satisfies(change -> {
            assertThat(change.app()).isEqualTo(app.name());
            Release release = change.change().release();
            assertThat(release.version()).isEqualTo(code.version() + 1);
            assertThat(release.env()).containsAllEntriesOf(resource.env()).containsEntry("GREETING", "hi");
            assertThat(release.processes()).isEqualTo(code.processes());
            // rolled out as 'pier env set' is: the deployment runs the new release's jobs, then it is current
            Deployment deployment = change.change().deployment();
            assertThat(deployment.newReleaseId()).isEqualTo(release.id());
            assertThat(deployment.status()).isEqualTo(DeploymentStatus.PENDING);
            complete(app.name(), deployment);
            assertThat(client.currentRelease(app.name())).isEqualTo(release);
        });
        assertThat(client.env(app.name())).containsAllEntriesOf(resource.env());
        assertThat(client.resource(resource.id())).isEqualTo(resource.withReleases(null));
        assertThat(client.appResources(app.name())).containsExactly(resource.withReleases(null));
        assertThat(client.resources()).contains(resource.withReleases(null));

        List<Event> provisioned = events(null, EventTypes.RESOURCE, resource.id());
        assertThat(provisioned).singleElement().satisfies(e -> {
            assertThat(e.data().path("provider").asText()).isEqualTo(databaseProvider.name());
            assertThat(e.data().toString()).as("no secrets in the event log").doesNotContain(
                    resource.env().get("PGPASSWORD"));
        });
        assertThat(events(app.name(), EventTypes.RESOURCE_APP, resource.id())).singleElement()
                .satisfies(e -> assertThat(e.data().path("release_id").asText())
                        .isEqualTo(resource.releases().get(0).change().release().id().toString()));
    }

    @Test
    void provisioningWithoutAppsThenAttachingToAConfigOnlyAppMakesItsFirstRelease() {
        App app = newApp("cfg");
        Resource resource = client.provision(databaseProvider.name(), null);
        assertThat(resource.apps()).isEmpty();
        assertThat(resource.releases()).isEmpty();
        Resource attached = client.attachResource(resource.id(), app.name());
        assertThat(attached.apps()).containsExactly(app.name());
        Release v1 = attached.releases().get(0).change().release();
        assertThat(v1.version()).isEqualTo(1);
        assertThat(attached.releases().get(0).change().deployment().status()).isEqualTo(DeploymentStatus.COMPLETE);
        assertThat(client.app(app.name()).releaseId()).isEqualTo(v1.id());
        assertThat(client.env(app.name())).isEqualTo(resource.env());
    }

    @Test
    void detachingUnsetsTheEnvByANewReleaseAndLeavesTheResource() {
        App app = newApp("det");
        Release code = webRelease(app.name(), Map.of("KEEP", "1"));
        deployed(app.name(), code);
        Resource resource = client.provision(databaseProvider.name(), NewResource.forApp(app.name()));
        complete(app.name(), resource.releases().get(0).change().deployment());

        Resource detached = client.detachResource(resource.id(), app.name());
        assertThat(detached.apps()).isEmpty();
        Release release = detached.releases().get(0).change().release();
        assertThat(release.env()).containsExactly(Map.entry("KEEP", "1"));
        assertThat(release.description()).isEqualTo("Set -DATABASE_URL, -PGPASSWORD");
        complete(app.name(), detached.releases().get(0).change().deployment());
        assertThat(client.currentRelease(app.name())).isEqualTo(release);
        assertThat(client.appResources(app.name())).isEmpty();
        assertThat(client.resource(resource.id()).apps()).isEmpty();
        assertThat(database.held()).containsExactly(resource.externalId());
        assertThat(events(app.name(), EventTypes.RESOURCE_APP_DELETION, resource.id())).hasSize(1);

        assertProblem(() -> client.detachResource(resource.id(), app.name()), 404,
                "resource " + resource.id() + " (" + databaseProvider.name() + ") is not attached to app '"
                        + app.name() + "'");
    }

    @Test
    void aConfigVarTheUserChangedSinceAttachingIsTheirsAndStaysOnDetach() {
        App app = newApp("mine");
        Resource resource = client.provision(databaseProvider.name(), NewResource.forApp(app.name()));
        client.changeEnv(app.name(), Map.of("PGPASSWORD", "set-by-hand"));
        Resource detached = client.detachResource(resource.id(), app.name());
        assertThat(detached.releases().get(0).change().release().description()).isEqualTo("Set -DATABASE_URL");
        assertThat(client.env(app.name())).containsExactly(Map.entry("PGPASSWORD", "set-by-hand"));
    }

    @Test
    void deprovisioningAResourceInUseIs409NamingTheAppsAndChangesNothing() {
        App first = newApp("use");
        App second = newApp("use");
        Resource resource = client.provision(databaseProvider.name(),
                new NewResource(List.of(second.name(), first.name()), null));
        assertThat(resource.apps()).containsExactlyElementsOf(
                List.of(first.name(), second.name()).stream().sorted().toList());
        int firstReleases = client.releases(first.name()).size();

        assertProblem(() -> client.deprovision(resource.id(), false), 409, "is attached to apps '");
        PierApiException conflict = catchProblem(() -> client.deprovision(resource.id(), false));
        assertThat(conflict.getMessage()).contains(first.name(), second.name());
        assertThat(client.resource(resource.id()).apps()).containsExactlyInAnyOrder(first.name(), second.name());
        assertThat(client.releases(first.name())).hasSize(firstReleases);
        assertThat(database.held()).containsExactly(resource.externalId());

        Resource gone = client.deprovision(resource.id(), true);
        assertThat(gone.apps()).isEmpty();
        assertThat(gone.releases()).extracting(Resource.AppReleaseChange::app)
                .containsExactlyInAnyOrder(first.name(), second.name());
        assertThat(client.env(first.name())).isEmpty();
        assertThat(client.env(second.name())).isEmpty();
        assertThat(database.held()).isEmpty();
        assertProblem(() -> client.resource(resource.id()), 404, "no resource " + resource.id());
        assertThat(events(null, EventTypes.RESOURCE_DELETION, resource.id())).hasSize(1);
        assertThat(events(first.name(), EventTypes.RESOURCE_APP_DELETION, resource.id())).hasSize(1);
    }

    @Test
    void deletingAnAppDetachesItsResourcesWithoutDeprovisioningThem() {
        App app = newApp("gone");
        App other = newApp("stay");
        Resource resource = client.provision(databaseProvider.name(),
                new NewResource(List.of(app.name(), other.name()), null));
        client.deleteApp(app.name());
        assertThat(client.resource(resource.id()).apps()).containsExactly(other.name());
        assertThat(database.held()).containsExactly(resource.externalId());
        assertThat(events(app.name(), EventTypes.RESOURCE_APP_DELETION, resource.id())).hasSize(1);
        // a new app of the same name starts with nothing attached
        client.createApp(new dev.pier.api.NewApp(app.name(), null));
        assertThat(client.appResources(app.name())).isEmpty();
        client.deprovision(resource.id(), true);
        assertThat(database.held()).isEmpty();
    }

    @Test
    void attachingTwiceUnknownNamesAndBadIdsAreClearAndChangeNothing() {
        App app = newApp("bad");
        Resource resource = client.provision(databaseProvider.name(), NewResource.forApp(app.name()));
        int releases = client.releases(app.name()).size();
        assertProblem(() -> client.attachResource(resource.id(), app.name()), 409,
                "resource " + resource.id() + " (" + databaseProvider.name() + ") is attached to app '" + app.name()
                        + "' already");
        assertThat(client.releases(app.name())).hasSize(releases);

        int provisions = database.provisions();
        assertProblem(() -> client.provision("no-such-provider", NewResource.forApp(app.name())), 404,
                "no provider 'no-such-provider'");
        assertProblem(() -> client.provision(databaseProvider.name(), NewResource.forApp("no-such-app")), 404,
                "app 'no-such-app' not found");
        assertProblem(() -> client.provision(databaseProvider.name(),
                new NewResource(List.of(app.name(), app.name()), null)), 400, "named twice");
        assertThat(database.provisions()).as("the provider was not asked").isEqualTo(provisions);

        UUID unknown = UUID.randomUUID();
        assertProblem(() -> client.resource(unknown), 404, "no resource " + unknown);
        assertProblem(() -> client.attachResource(unknown, app.name()), 404, "no resource " + unknown);
        assertProblem(() -> client.deprovision(unknown, true), 404, "no resource " + unknown);
        assertProblem(() -> client.attachResource(resource.id(), "no-such-app"), 404, "app 'no-such-app' not found");
        assertProblem(() -> client.appResources("no-such-app"), 404, "app 'no-such-app' not found");
        assertProblem(() -> client.get("/resources/not-an-id", Resource.class), 400, "'not-an-id' is not a valid id");
    }

    @Test
    void configVarsAnotherResourceSetsOnTheAppAre409NamingBothAndNothingChanges() throws Exception {
        App app = newApp("dup");
        Resource first = client.provision(databaseProvider.name(), NewResource.forApp(app.name()));
        try (TestProvider clash = new TestProvider(KEY, "DATABASE_URL", "OTHER_URL")) {
            Provider clashing = another(clash);
            Resource second = client.provision(clashing.name(), null);
            int releases = client.releases(app.name()).size();
            Map<String, String> env = client.env(app.name());

            PierApiException conflict = catchProblem(() -> client.attachResource(second.id(), app.name()));
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.getMessage()).isEqualTo("resource " + second.id() + " (" + clashing.name()
                    + ") sets DATABASE_URL, which resource " + first.id() + " (" + databaseProvider.name()
                    + ") sets on app '" + app.name() + "' already: detach that one first");
            assertThat(client.releases(app.name())).hasSize(releases);
            assertThat(client.env(app.name())).isEqualTo(env);
            assertThat(client.resource(second.id()).apps()).isEmpty();

            // provisioning into the same clash makes nothing: the provider's new resource is dropped again
            assertProblem(() -> client.provision(clashing.name(), NewResource.forApp(app.name())), 409,
                    "the new resource of provider '" + clashing.name() + "' sets DATABASE_URL, which resource "
                            + first.id() + " (" + databaseProvider.name() + ") sets on app '" + app.name()
                            + "' already: detach that one first");
            assertThat(clash.held()).containsExactly(second.externalId());
            assertThat(client.resources()).extracting(Resource::provider).filteredOn(clashing.name()::equals)
                    .hasSize(1);
        }
    }

    @Test
    void aFailingOrDownProviderIsNamedWithItsCauseAndLeavesNoResource() throws Exception {
        App app = newApp("down");
        int before = client.resources().size();
        database.failWith("the PostgreSQL server of this provider is not up yet: job pier-postgres/postgres is "
                + "starting");
        PierApiException failed = catchProblem(() -> client.provision(databaseProvider.name(),
                NewResource.forApp(app.name())));
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.getMessage()).isEqualTo("provider '" + databaseProvider.name() + "' failed to provision a "
                + "resource (HTTP 503): the PostgreSQL server of this provider is not up yet: job "
                + "pier-postgres/postgres is starting");
        assertThat(client.resources()).hasSize(before);
        assertThat(client.releases(app.name())).isEmpty();

        database.failWith(null);
        Resource resource = client.provision(databaseProvider.name(), NewResource.forApp(app.name()));
        database.failWith("disk full");
        PierApiException stuck = catchProblem(() -> client.deprovision(resource.id(), true));
        assertThat(stuck.status()).isEqualTo(502);
        assertThat(stuck.getMessage()).contains("provider '" + databaseProvider.name() + "' failed to deprovision",
                "disk full", "Resource " + resource.id() + " stays, detached", "detached from app '" + app.name());
        assertThat(client.resource(resource.id()).apps()).isEmpty();
        assertProblem(() -> client.attachResource(resource.id(), app.name()), 409, "is being deprovisioned");
        database.failWith(null);
        client.deprovision(resource.id(), false);
        assertThat(database.held()).isEmpty();
        assertProblem(() -> client.resource(resource.id()), 404, "no resource");

        String url = database.url().toString();
        database.close();
        PierApiException down = catchProblem(() -> client.provision(databaseProvider.name(), null));
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.getMessage()).startsWith("provider '" + databaseProvider.name() + "' cannot be reached at "
                + url + " to provision a resource");
        assertThat(client.resources()).hasSize(before);

        Provider discovered = client.createProvider(new NewProvider(uniqueName("d"), "discoverd+http://pier-pg-api",
                null));
        assertProblem(() -> client.provision(discovered.name(), null), 503, "provider '" + discovered.name()
                + "' cannot be found to provision a resource: providers at discoverd+http:// URLs need discoverd");
    }

    private static PierApiException catchProblem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(PierApiException.class);
        return (PierApiException) thrown;
    }
}
