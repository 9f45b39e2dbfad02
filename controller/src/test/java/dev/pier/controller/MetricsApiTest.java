package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.App;
import dev.pier.api.metrics.AppMetrics;
import dev.pier.api.metrics.MetricsPoint;
import dev.pier.api.metrics.ProcessFigures;
import dev.pier.controller.metrics.MetricsHistory;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code GET /apps/{app}/metrics}, its stream, and the controller's own {@code /metrics}. */
class MetricsApiTest extends ControllerTestSupport {
    private static final ProcessFigures WEB = new ProcessFigures(12.5, 0.5, 0.004, 0.02, 0.1, 50_000_000L, 0.2, 2);

    @Autowired
    MetricsHistory history;

    @Test
    void anAppsFiguresAfterSinceAndBadInput() throws Exception {
        App app = newApp("metrics");
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        history.add(t.minusSeconds(20), Map.of(app.name(), Map.of("web", WEB)));
        history.add(t.minusSeconds(10), Map.of(app.name(), Map.of("web", WEB)));
        AppMetrics all = client.appMetrics(app.name(), null);
        assertThat(all.resolutionSeconds()).isEqualTo(10);
        assertThat(all.retentionSeconds()).isEqualTo(3600);
        assertThat(all.points()).extracting(MetricsPoint::at).containsExactly(t.minusSeconds(20), t.minusSeconds(10));
        assertThat(all.points().get(1).processes().get("web")).isEqualTo(WEB);
        assertThat(client.appMetrics(app.name(), t.minusSeconds(15)).points()).hasSize(1);
        assertThat(client.appMetrics(newApp("quiet").name(), null).points()).isEmpty();

        assertThat(raw("GET", "/apps/" + app.name() + "/metrics?since=yesterday", null).body())
                .contains("\"field\":\"since\"");
        assertThat(raw("GET", "/apps/nosuchapp/metrics", null).statusCode()).isEqualTo(404);
        assertThat(raw("GET", "/apps/" + app.name() + "/metrics", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void theStreamSendsThePointsThereAreThenEachNewOne() throws Exception {
        App app = newApp("stream");
        history.add(Instant.now(), Map.of(app.name(), Map.of("web", WEB)));
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/apps/" + app.name() + "/metrics/stream"))
                .header("Authorization", "Bearer " + KEY).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(nextData(lines)).contains("\"requests_per_second\":12.5");
            history.add(Instant.now(), Map.of(app.name(), Map.of("web", new ProcessFigures(99.0, 0.0, null, null,
                    null, null, null, null)), "other-app", Map.of("web", WEB)));
            assertThat(nextData(lines)).contains("\"requests_per_second\":99.0");
        }
    }

    /** The data of the next {@code point} event (a {@code problem} event says the sampler has nothing to read here). */
    private static String nextData(BufferedReader lines) throws Exception {
        boolean point = false;
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.startsWith("event:")) {
                point = line.substring(6).strip().equals("point");
            } else if (point && line.startsWith("data:")) {
                return line;
            }
        }
        throw new AssertionError("the stream ended");
    }

    @Test
    void theControllersOwnMetricsNeedTheKey() throws Exception {
        assertThat(raw("GET", "/metrics", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> metrics = raw("GET", "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE pier_controller_deployments_total counter",
                "pier_controller_deployments_total{outcome=\"failed\"} ", "pier_controller_deployments_active ",
                "pier_controller_builds_total{outcome=\"succeeded\"} ", "pier_controller_build_duration_seconds_count ",
                "http_server_requests_seconds_bucket{", "jvm_memory_used_bytes{", "hikaricp_connections");
    }
}
