package dev.pier.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.contract.client.ApiClient;
import dev.pier.contract.client.ApiException;
import dev.pier.contract.client.ApiResponse;
import dev.pier.contract.client.api.AppApi;
import dev.pier.contract.client.api.DeploymentApi;
import dev.pier.contract.client.api.FormationApi;
import dev.pier.contract.client.api.KeyApi;
import dev.pier.contract.client.api.ReleaseApi;
import dev.pier.contract.client.api.RouteApi;
import dev.pier.contract.client.model.App;
import dev.pier.contract.client.model.AppUpdate;
import dev.pier.contract.client.model.Deployment;
import dev.pier.contract.client.model.DeploymentUpdate;
import dev.pier.contract.client.model.Formation;
import dev.pier.contract.client.model.FormationUpdate;
import dev.pier.contract.client.model.NewApp;
import dev.pier.contract.client.model.NewDeployment;
import dev.pier.contract.client.model.NewKey;
import dev.pier.contract.client.model.NewRelease;
import dev.pier.contract.client.model.NewRoute;
import dev.pier.contract.client.model.Problem;
import dev.pier.contract.client.model.ProcessType;
import dev.pier.contract.client.model.Release;
import dev.pier.contract.client.model.ReleaseChange;
import dev.pier.contract.client.model.Route;
import dev.pier.contract.client.model.SshKey;
import dev.pier.testkit.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main flows through a client that OpenAPI Generator made from the controller's own document in this build
 * (issue #17 item 9: a client generated from the old document got 400 on its first call). Nothing here is written by
 * hand for the wire: names, types, statuses and problems are the generated client's, so a document that lies about
 * the wire fails here.
 */
class GeneratedClientTest extends ControllerUnderTest {
    private ApiClient client;
    private AppApi apps;
    private ReleaseApi releases;
    private DeploymentApi deployments;
    private FormationApi formations;
    private RouteApi routes;
    private KeyApi keys;

    @BeforeEach
    void connect() {
        // OpenAPI Generator's Java clients leave nulls out of maps too (their mapper's inclusion is NON_NULL for both
        // properties and map values): PATCH env's null, which unsets a var, must be sent (docs/controller.md)
        ObjectMapper mapper = ApiClient.createDefaultObjectMapper().setDefaultPropertyInclusion(
                JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS));
        client = new ApiClient(ApiClient.createDefaultHttpClientBuilder(), mapper, base());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + KEY));
        apps = new AppApi(client);
        releases = new ReleaseApi(client);
        deployments = new DeploymentApi(client);
        formations = new FormationApi(client);
        routes = new RouteApi(client);
        keys = new KeyApi(client);
    }

    @Test
    void anAppIsCreatedReleasedDeployedConfiguredAndScaled() throws Exception {
        String name = uniqueName("gen");
        ApiResponse<App> created = apps.createAppWithHttpInfo(new NewApp().name(name).meta(Map.of("team", "blue")));
        assertThat(created.getStatusCode()).isEqualTo(201);
        App app = created.getData();
        assertThat(app.getName()).isEqualTo(name);
        assertThat(app.getReleaseId()).isNull();
        assertThat(app.getDeployTimeout()).isPositive();
        assertThat(apps.listApps()).extracting(App::getName).contains(name);

        App updated = apps.updateApp(name, new AppUpdate().deployTimeout(300));
        assertThat(updated.getDeployTimeout()).isEqualTo(300);

        Release first = releases.createRelease(name, new NewRelease()
                .env(Map.of("GREETING", "hello", "OLD", "x"))
                .processes(Map.of("web", new ProcessType().command("node server.js").port(8080),
                        "worker", new ProcessType().command("node worker.js")))
                .description("first"));
        assertThat(first.getVersion()).isEqualTo(1);
        assertThat(first.getArtifactId()).isNull();

        ApiResponse<Deployment> deployed = deployments.deployWithHttpInfo(name, new NewDeployment().releaseId(first.getId()));
        assertThat(deployed.getStatusCode()).isEqualTo(201);
        // a first deploy completes when its jobs serve: pending for the runner, which starts web=1 (as Heroku does)
        Deployment firstDeploy = deployed.getData();
        assertThat(firstDeploy.getStatus()).isEqualTo(Deployment.StatusEnum.PENDING);
        assertThat(firstDeploy.getProcesses()).containsExactly(Map.entry("web", 1));
        // what the scheduler's deployment runner does, through the same generated client
        deployments.updateDeployment(firstDeploy.getId().toString(),
                new DeploymentUpdate().status(DeploymentUpdate.StatusEnum.RUNNING).step("starting"));
        formations.putFormation(name, first.getId().toString(),
                new FormationUpdate().processes(firstDeploy.getProcesses()));
        assertThat(deployments.updateDeployment(firstDeploy.getId().toString(),
                new DeploymentUpdate().status(DeploymentUpdate.StatusEnum.COMPLETE)).getStatus())
                .isEqualTo(Deployment.StatusEnum.COMPLETE);
        assertThat(apps.getApp(name).getReleaseId()).isEqualTo(first.getId());
        assertThat(formations.getFormation(name, first.getId().toString()).getProcesses()).containsEntry("web", 1);

        // env set and unset (null) in one change: a new release, and a deployment the runner must carry out
        Map<String, String> changes = new HashMap<>();
        changes.put("GREETING", "again");
        changes.put("OLD", null);
        ApiResponse<ReleaseChange> changed = releases.changeEnvWithHttpInfo(name, changes);
        assertThat(changed.getStatusCode()).isEqualTo(201);
        Release second = changed.getData().getRelease();
        assertThat(second.getVersion()).isEqualTo(2);
        assertThat(second.getEnv()).containsExactly(Map.entry("GREETING", "again"));
        Deployment rollout = changed.getData().getDeployment();
        assertThat(rollout.getStatus()).isEqualTo(Deployment.StatusEnum.PENDING);
        assertThat(rollout.getOldProcesses()).containsEntry("web", 1);

        // the runner again
        deployments.updateDeployment(rollout.getId().toString(), new DeploymentUpdate().status(DeploymentUpdate.StatusEnum.RUNNING));
        Deployment done = deployments.updateDeployment(rollout.getId().toString(),
                new DeploymentUpdate().status(DeploymentUpdate.StatusEnum.COMPLETE));
        assertThat(done.getStatus()).isEqualTo(Deployment.StatusEnum.COMPLETE);
        assertThat(releases.currentRelease(name).getId()).isEqualTo(second.getId());
        assertThat(releases.getEnv(name)).containsExactly(Map.entry("GREETING", "again"));

        // the same change again changes nothing: 200, no release, no deployment
        ApiResponse<ReleaseChange> same = releases.changeEnvWithHttpInfo(name, Map.of("GREETING", "again"));
        assertThat(same.getStatusCode()).isEqualTo(200);
        assertThat(same.getData().getDeployment()).isNull();
        assertThat(same.getData().getRelease().getId()).isEqualTo(second.getId());

        Formation scaled = formations.putFormation(name, second.getId().toString(),
                new FormationUpdate().processes(Map.of("web", 3, "worker", 1)));
        assertThat(scaled.getProcesses()).containsExactlyInAnyOrderEntriesOf(Map.of("web", 3, "worker", 1));
        assertThat(formations.listFormations(name)).extracting(Formation::getReleaseId).contains(second.getId());
        assertThat(releases.listReleases(name, 10)).extracting(Release::getVersion).containsExactly(2, 1);

        ApiResponse<Void> deleted = apps.deleteAppWithHttpInfo(name);
        assertThat(deleted.getStatusCode()).isEqualTo(204);
    }

    @Test
    void routesAndKeysAreAddedListedAndRemoved(@TempDir Path dir) throws Exception {
        String name = uniqueName("gen-routes");
        apps.createApp(new NewApp().name(name));
        String domain = name + ".example.com";
        ApiResponse<Route> added = routes.addRouteWithHttpInfo(name, new NewRoute().domain(domain));
        assertThat(added.getStatusCode()).isEqualTo(201);
        assertThat(added.getData().getService()).isEqualTo(name + "-web");
        assertThat(routes.listRoutes(name)).extracting(Route::getDomain).contains(domain, name + ".pier.localhost");
        assertThat(routes.removeRouteWithHttpInfo(name, domain).getStatusCode()).isEqualTo(204);
        assertThat(routes.listRoutes(name)).extracting(Route::getDomain).doesNotContain(domain);

        Path file = dir.resolve("id_ed25519");
        Command.check(Duration.ofSeconds(30), List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name,
                "-f", file.toString()));
        String line = Files.readString(dir.resolve("id_ed25519.pub")).strip();
        ApiResponse<SshKey> key = keys.addKeyWithHttpInfo(new NewKey().key(line));
        assertThat(key.getStatusCode()).isEqualTo(201);
        assertThat(key.getData().getFingerprint()).startsWith("SHA256:");
        assertThat(key.getData().getComment()).isEqualTo(name);
        assertThat(keys.listKeys()).extracting(SshKey::getId).contains(key.getData().getId());
        assertThat(keys.getKey(key.getData().getId()).getKey()).isEqualTo(key.getData().getKey());
        assertThat(keys.removeKeyWithHttpInfo(key.getData().getId()).getStatusCode()).isEqualTo(204);
    }

    @Test
    void errorsArriveAsProblemsNamingTheField() throws Exception {
        Problem badName = problem(() -> apps.createApp(new NewApp().name("Not Valid")), 400);
        assertThat(badName.getField()).isEqualTo("name");
        assertThat(badName.getDetail()).contains("app name 'Not Valid' is invalid");

        String name = uniqueName("gen-errors");
        apps.createApp(new NewApp().name(name));
        Problem taken = problem(() -> apps.createApp(new NewApp().name(name)), 409);
        assertThat(taken.getField()).isEqualTo("name");

        Problem missing = problem(() -> apps.getApp(uniqueName("nowhere")), 404);
        assertThat(missing.getTitle()).isEqualTo("Not Found");

        Problem noCommand = problem(() -> releases.createRelease(name, new NewRelease()
                .processes(Map.of("web", new ProcessType().command("")))), 400);
        assertThat(noCommand.getDetail()).isNotBlank();

        ApiClient keyless = new ApiClient();
        keyless.updateBaseUri(base());
        Problem unauthorized = problem(() -> new AppApi(keyless).listApps(), 401);
        assertThat(unauthorized.getDetail()).contains("cluster key");
    }

    private interface Call {
        void run() throws ApiException;
    }

    private Problem problem(Call call, int status) throws Exception {
        ApiException[] thrown = new ApiException[1];
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> thrown[0] = e);
        ApiException e = thrown[0];
        assertThat(e.getCode()).as(e.getResponseBody()).isEqualTo(status);
        assertThat(e.getResponseHeaders().firstValue("Content-Type")).hasValue("application/problem+json");
        Problem problem = client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
        assertThat(problem.getStatus()).isEqualTo(status);
        return problem;
    }
}
