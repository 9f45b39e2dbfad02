package dev.pier.controller;

import dev.pier.api.App;
import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.DeploymentUpdate;
import dev.pier.api.NewDeployment;
import dev.pier.api.NewApp;
import dev.pier.api.NewRelease;
import dev.pier.api.ProcessType;
import dev.pier.api.Release;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.http.PierApiException;
import dev.pier.testkit.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Boots the real controller on a real PostgreSQL database (one per test JVM, shared by every test class,
 * so Spring reuses one context). Tests use unique app names, so they never see each other's data.
 */
@AutoConfigureObservability // the controller's /metrics is part of what is tested
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pier.cluster-key=" + ControllerTestSupport.KEY, "server.address=127.0.0.1"})
public abstract class ControllerTestSupport {
    public static final String KEY = "test-cluster-key-0123456789";
    private static final String DATABASE = PostgresServer.shared().newDatabase();

    @LocalServerPort
    protected int port;
    protected ControllerClient client;
    protected final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> PostgresServer.USER);
    }

    @BeforeEach
    void connect() {
        client = new ControllerClient(URI.create("http://127.0.0.1:" + port), KEY);
    }

    protected static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected App newApp(String prefix) {
        return client.createApp(NewApp.named(uniqueName(prefix)));
    }

    protected Release webRelease(String app, Map<String, String> env) {
        return client.createRelease(app, new NewRelease(null, env,
                Map.of("web", ProcessType.web("node server.js"), "worker", ProcessType.worker("node worker.js")),
                Map.of(), "test release"));
    }

    /**
     * Deploys {@code release} to an app with nothing running and, standing in for the scheduler's deployment
     * runner, completes it: the release becomes current with its formation (web=1 on a first deploy).
     */
    protected Deployment deployed(String app, Release release) {
        Deployment deployment = client.deploy(app, new NewDeployment(release.id(), null));
        if (deployment.status().isFinished()) {
            return deployment;
        }
        client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.RUNNING, null));
        client.scale(app, release.id(), deployment.processes());
        return client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.COMPLETE, null));
    }

    /** Sends raw bytes with the cluster key, for input the typed client would never produce. */
    protected HttpResponse<String> raw(String method, String path, String body) throws Exception {
        return raw(method, path, body, KEY);
    }

    protected HttpResponse<String> raw(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static void assertProblem(ThrowableAssert.ThrowingCallable call, int status, String detailPart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PierApiException.class, e -> {
            org.assertj.core.api.Assertions.assertThat(e.status()).as("status of: " + e.getMessage()).isEqualTo(status);
            org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains(detailPart);
        });
    }
}
