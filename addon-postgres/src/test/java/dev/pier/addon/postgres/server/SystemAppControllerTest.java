package dev.pier.addon.postgres.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.addon.kit.SystemApp;
import dev.pier.api.Artifact;
import dev.pier.api.ProcessType;
import dev.pier.api.Release;
import dev.pier.api.controller.ControllerClient;
import dev.pier.controller.ControllerApplication;
import dev.pier.testkit.PostgresServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The system app's first steps on a real controller (no scheduler: its deployment stays pending). */
@SpringBootTest(classes = ControllerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pier.cluster-key=" + SystemAppControllerTest.KEY, "server.address=127.0.0.1"})
class SystemAppControllerTest {
    static final String KEY = "system-app-test-key";
    static final String DATABASE = PostgresServer.shared().newDatabase();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> PostgresServer.USER);
    }

    @Test
    void theAppItsReleaseAndItsDeploymentAreMadeAsTheContractShapesThem() {
        ControllerClient controller = new ControllerClient(URI.create("http://127.0.0.1:" + port), KEY);
        SystemApp app = new SystemApp(controller, PostgresServerSpec.SPEC, "pier-postgres", "pier/postgres:0123456789ab",
                Map.of("POSTGRES_PASSWORD", "secret"), 55432, 512);

        assertThat(app.step()).contains("its system app pier-postgres (just created) to get its first release");
        Optional<String> deploying = app.step();
        assertThat(deploying).hasValueSatisfying(s -> assertThat(s).startsWith("the deployment of pier-postgres v1 "));

        Release release = controller.releases("pier-postgres").get(0);
        ProcessType postgres = release.processes().get("postgres");
        assertThat(postgres.command()).isEqualTo("/pier/postgres/start");
        assertThat(postgres.port()).isEqualTo(5432);
        assertThat(postgres.hostPort()).isEqualTo(55432);
        assertThat(postgres.volumes()).extracting(v -> v.path()).isEqualTo(List.of("/var/lib/postgresql/data"));
        assertThat(release.env()).containsEntry("POSTGRES_PASSWORD", "secret");
        assertThat(release.meta()).containsEntry(SystemApp.RECIPE, app.recipe());
        Artifact artifact = controller.artifact(release.artifactId());
        assertThat(artifact.type()).isEqualTo("docker");
        assertThat(artifact.uri()).isEqualTo("pier/postgres:0123456789ab");

        // a first deploy with no job to start completes at once: then the release is scaled to one job
        assertThat(app.step()).contains("job pier-postgres/postgres to be scheduled");
        assertThat(controller.currentRelease("pier-postgres").id()).isEqualTo(release.id());
        var formation = controller.formation("pier-postgres", release.id());
        assertThat(formation.processes()).containsEntry("postgres", 1);
        assertThat(formation.memoryMb()).containsEntry("postgres", 512);
        assertThat(app.step()).isEmpty();
        assertThat(app.describeJob()).isEqualTo("job pier-postgres/postgres to be placed on a host");

        // a new image: the old release's job is stopped first, then the new release deployed and scaled
        SystemApp upgraded = new SystemApp(controller, PostgresServerSpec.SPEC, "pier-postgres",
                "pier/postgres:ba9876543210", Map.of("POSTGRES_PASSWORD", "secret"), 55432, 512);
        assertThat(upgraded.step()).hasValueSatisfying(s -> assertThat(s).startsWith("the old release's job"));
        assertThat(controller.formation("pier-postgres", release.id()).processes()).containsEntry("postgres", 0);
        assertThat(upgraded.step()).hasValueSatisfying(s -> assertThat(s).startsWith("the deployment of pier-postgres v2 "));
    }
}
