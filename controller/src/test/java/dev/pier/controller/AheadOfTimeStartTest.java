package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.NewApp;
import dev.pier.api.NewRelease;
import dev.pier.api.controller.ControllerClient;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.JavaServices;
import dev.pier.testkit.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The controller as it runs in a cluster: {@code main} in its own JVM, on the bean definitions the build
 * generated ahead of time (Spring AOT). The other tests build their contexts by reflection, so this one is what
 * would catch generated code that no longer matches the application (a bean missing, a condition that only held
 * at build time).
 */
class AheadOfTimeStartTest {
    private static final String KEY = "aot-key";

    @Test
    void mainStartsFromTheGeneratedContextAndServesTheApi() throws Exception {
        int port = FreePorts.next();
        try (JavaServices services = new JavaServices("pier-controller-aot-")) {
            Process controller = services.start("controller", List.of("-cp", System.getProperty("java.class.path"),
                    ControllerApplication.class.getName(), "--server.port=" + port, "--server.address=127.0.0.1",
                    "--spring.datasource.url=" + PostgresServer.shared().newDatabase(),
                    "--spring.datasource.username=" + PostgresServer.USER, "--pier.cluster-key=" + KEY));
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(controller.isAlive()).as("controller alive; log:\n%s", services.tail("controller", 40))
                                .isTrue();
                        assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                    });
            assertThat(Files.readString(services.logs().resolve("controller.log")))
                    .contains("Starting AOT-processed ControllerApplication");

            ControllerClient client = new ControllerClient(URI.create("http://127.0.0.1:" + port), KEY);
            client.createApp(NewApp.named("ahead"));
            client.changeEnv("ahead", Map.of("GREETING", "hi"));
            assertThat(client.env("ahead")).containsExactly(Map.entry("GREETING", "hi"));
            client.createRelease("ahead", new NewRelease(null, Map.of("A", "1"), Map.of(), Map.of(), "by hand"));
            assertThat(client.releases("ahead")).hasSize(2);
        }
    }
}
