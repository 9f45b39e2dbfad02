package dev.pier.hostagent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.JobState;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.JobSpec;
import dev.pier.hostagent.RunningAgent;
import dev.pier.testkit.DockerEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent's {@code /metrics}: its jobs' CPU and memory from the real Docker engine's stats, and their exits. */
class JobMetricsTest {
    private static String image;
    private static RunningAgent agent;
    private static HostAgentClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startAgent() {
        image = DockerEngine.testImage();
        agent = RunningAgent.start(RunningAgent.newHostId(), Map.of("pier.host-agent.stats.interval", "1s"));
        client = agent.client();
    }

    @AfterAll
    static void stopAgent() {
        if (agent != null) {
            try {
                agent.close();
            } finally {
                agent.removeContainers();
            }
        }
    }

    private String metrics() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(agent.url() + "/metrics"))
                .header("Authorization", "Bearer " + RunningAgent.KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void aRunningJobsCpuAndMemoryAndAnEndedJobsExit() throws Exception {
        String busy = "job-" + UUID.randomUUID().toString().substring(0, 8);
        client.start(JobSpec.of(busy, "shop", "worker", image, List.of("sh", "-c",
                "dd if=/dev/zero of=/dev/null bs=1M count=2000 2>/dev/null; exec sleep 300")));
        String labels = "{app=\"shop\",job=\"" + busy + "\",process_type=\"worker\"}";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String text = metrics();
            assertThat(value(text, "pier_job_cpu_seconds_total" + labels)).isPositive();
            assertThat(value(text, "pier_job_memory_bytes" + labels)).isPositive();
        });
        String text = metrics();
        assertThat(text).contains("# TYPE pier_job_cpu_seconds_total counter", "pier_host_jobs{state=\"up\"}",
                "pier_host_memory_bytes{kind=\"total\"} 1.073741824E9");

        String crash = "job-" + UUID.randomUUID().toString().substring(0, 8);
        client.start(JobSpec.of(crash, "shop", "worker", image, List.of("sh", "-c", "exit 3")));
        await().atMost(Duration.ofSeconds(60)).until(() -> client.job(crash).state() == JobState.CRASHED);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(value(metrics(),
                "pier_host_job_exits_total{app=\"shop\",process_type=\"worker\",state=\"crashed\"}")).isEqualTo(1.0));

        client.stop(busy);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(metrics()).doesNotContain("pier_job_memory_bytes" + labels));
    }
}
