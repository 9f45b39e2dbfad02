package dev.pier.discoverd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.MetricsAnnouncement;
import dev.pier.api.discoverd.Registration;
import dev.pier.api.discoverd.Watch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** discoverd's {@code /metrics} and its Prometheus service discovery, against a real etcd. */
class DiscoverdMetricsTest {
    private static RunningDiscoverd discoverd;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startDiscoverd() {
        discoverd = RunningDiscoverd.start();
    }

    @AfterAll
    static void stopDiscoverd() {
        if (discoverd != null) {
            discoverd.close();
        }
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(discoverd.base + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void announcedMetricsEndpointsAreHttpServiceDiscoveryTargets() throws Exception {
        String address = "127.0.0.1:18300";
        try (DiscoverdClient client = discoverd.client()) {
            Registration ignored = MetricsAnnouncement.announce(client, "pier-controller", address);
            HttpResponse<String> targets = get("/prometheus/targets", RunningDiscoverd.KEY);
            assertThat(targets.statusCode()).isEqualTo(200);
            assertThat(targets.body()).contains("{\"targets\":[\"" + address + "\"],\"labels\":{"
                    + "\"pier_service\":\"pier-controller\",\"pier_instance\":\"pier-controller-127.0.0.1-18300\","
                    + "\"__metrics_path__\":\"/metrics\"}}");
            assertThat(get("/prometheus/targets", null).statusCode()).isEqualTo(401);
            assertThat(get("/prometheus/targets?service=Bad_Name", RunningDiscoverd.KEY).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void metricsCountInstancesWatchersAndEtcdCalls() throws Exception {
        String service = "metrics-" + Long.toHexString(System.nanoTime() & 0xffffff);
        try (DiscoverdClient client = discoverd.client()) {
            client.register(service, "a", "127.0.0.1:9001", null);
            client.register(service, "b", "127.0.0.1:9002", null);
            Watch watch = client.watch(service, event -> { });
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    get("/metrics", RunningDiscoverd.KEY).body())
                    .contains("pier_discoverd_instances{service=\"" + service + "\"} 2.0\n")
                    .contains("pier_discoverd_watchers{service=\"" + service + "\"} 1.0\n"));
            watch.close();
            String text = get("/metrics", RunningDiscoverd.KEY).body();
            assertThat(text).contains("# TYPE pier_discoverd_watch_events_total counter",
                    "pier_discoverd_etcd_request_seconds_bucket{operation=\"writing\",outcome=\"ok\",le=",
                    "http_server_requests_seconds_count{", "jvm_memory_used_bytes");
            assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        }
    }
}
