package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pier.router.config.Settings;
import dev.pier.testkit.FreePorts;
import java.net.URI;
import java.time.Duration;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole service starts (controller and discoverd unreachable: it still serves), and bad config stops it. */
class RouterApplicationTest {

    @Test
    void startsAndServesHealthMetricsAnd404WithoutItsSources() throws Exception {
        int dead = FreePorts.next();
        try (Router router = start(
                "--pier.router.cluster-key=k", "--pier.router.port=0", "--pier.router.tls-port=0", "--pier.router.admin-port=0",
                "--pier.router.controller-url=http://127.0.0.1:" + dead,
                "--pier.router.discoverd-url=http://127.0.0.1:" + dead)) {
            int admin = router.adminPort();
            int proxy = router.proxyPort();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + admin + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + proxy + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(404);
            assertThat(page.body()).contains("127.0.0.1");
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + admin + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("cluster key");
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + admin + "/metrics")).header("Authorization", "Bearer k").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            assertThat(metrics.body())
                    .contains("pier_router_requests_total{app=\"\",process_type=\"\",status_class=\"4xx\"} 1.0")
                    .contains("pier_router_client_connections ")
                    .contains("jvm_memory_used_bytes{", "process_cpu_usage", "process_files_open_files");
        }
    }

    @Test
    void runsAsItsOwnProcessUntilStopped() throws Exception {
        int dead = FreePorts.next();
        int admin = FreePorts.next();
        Process router = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                RouterApplication.class.getName(), "--pier.router.cluster-key=k", "--pier.router.port=0", "--pier.router.tls-port=0",
                "--pier.router.admin-port=" + admin, "--pier.router.controller-url=http://127.0.0.1:" + dead,
                "--pier.router.discoverd-url=http://127.0.0.1:" + dead).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/health")).build();
            await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
                    .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            // Netty's threads are daemons: the process must not end when main returns
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(router::isAlive);
            router.destroy(); // SIGTERM: the shutdown hook stops it
            assertThat(router.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        } finally {
            router.destroyForcibly();
        }
    }

    @Test
    void refusesToStartWithoutAClusterKey() {
        assertThatThrownBy(() -> start("--pier.router.cluster-key=", "--pier.router.port=0", "--pier.router.tls-port=0",
                "--pier.router.admin-port=0").close())
                .hasMessageContaining("pier.router.cluster-key: must be set");
    }

    @Test
    void refusesToStartWithATrustedProxyThatIsNoAddress() {
        assertThatThrownBy(() -> start(
                "--pier.router.cluster-key=k", "--pier.router.port=0", "--pier.router.tls-port=0",
                "--pier.router.admin-port=0", "--pier.router.trusted-proxies=10.0.0.0/8,front.example.com").close())
                .hasMessageContaining("pier.router.trusted-proxies: 'front.example.com' is not an IP address");
    }

    /** A setting it cannot use ends the process at once with status 1 and one line naming the setting. */
    @Test
    void aBadSettingEndsTheProcessNamingIt() throws Exception {
        Process router = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                RouterApplication.class.getName(), "--pier.router.cluster-key=k", "--pier.router.port=70000")
                .redirectErrorStream(true).start();
        String output = new String(router.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(router.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(router.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("pier-router: pier.router.port: 70000 is out of range: it must be from 0 to 65535");
    }

    private static Router start(String... args) {
        return Router.start(Settings.of(args, Map.of(), Map.of(), RouterProperties.ENVIRONMENT_ALIASES));
    }
}
