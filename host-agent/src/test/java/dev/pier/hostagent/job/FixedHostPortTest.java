package dev.pier.hostagent.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pier.api.JobState;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import dev.pier.api.http.PierApiException;
import dev.pier.hostagent.RunningAgent;
import dev.pier.hostagent.discovery.Discovery;
import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.FreePorts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job at a fixed host port, on one real agent over the real Docker engine, whose job address (127.0.0.2) differs
 * from its bind address (127.0.0.1): it answers at that exact port on both, is announced as {@code <app>-<type>}
 * with meta {@code job_addr}, and a port already taken is a clear error naming it.
 */
class FixedHostPortTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Map<String, Map<String, String>> ANNOUNCED = new ConcurrentHashMap<>();
    private static final Map<String, String> ADDRESSES = new ConcurrentHashMap<>();
    private static String image;
    private static RunningAgent agent;
    private static HostAgentClient client;

    /** Discovery that records the jobs announced (and leads a cluster of this one agent). */
    private static final class Recording implements Discovery {
        @Override
        public void registerHost(HostInfo host) {
            NONE.registerHost(host);
        }

        @Override
        public void registerJob(String service, String jobId, String address) {
            registerJob(service, jobId, address, Map.of());
        }

        @Override
        public void registerJob(String service, String jobId, String address, Map<String, String> meta) {
            ANNOUNCED.put(service + "/" + jobId, meta);
            ADDRESSES.put(service + "/" + jobId, address);
        }

        @Override
        public void deregisterJob(String service, String jobId) {
            ANNOUNCED.remove(service + "/" + jobId);
            ADDRESSES.remove(service + "/" + jobId);
        }

        @Override
        public Optional<Boolean> stillRouted(String service, String jobId) {
            return Optional.of(false);
        }

        @Override
        public List<HostEntry> hosts() {
            return NONE.hosts();
        }

        @Override
        public void campaign(HostInfo self, LeadershipListener listener) {
            NONE.campaign(self, listener);
        }

        @Override
        public Optional<HostEntry> leader() {
            return NONE.leader();
        }

        @Override
        public void close() {
        }
    }

    @BeforeAll
    static void startAgent() {
        image = DockerEngine.testImage();
        agent = RunningAgent.start(RunningAgent.newHostId(), Map.of("pier.host-agent.job-address", "127.0.0.2"),
                context -> context.getBeanFactory().registerSingleton("discovery", new Recording()));
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

    private static JobSpec server(String id, int fixedPort) {
        return JobSpec.of(id, "pgsys", "postgres", image, List.of("sh", "-c",
                        "mkdir -p /tmp/www; echo fixed >/tmp/www/index.html; exec httpd -f -p $PORT -h /tmp/www"))
                .withPort(8000).withMemoryMb(32).withFixedHostPort(fixedPort);
    }

    private static String get(String address) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aJobAtAFixedPortAnswersThereOnBothAddressesAndIsAnnouncedWithItsJobAddress() throws Exception {
        int port = FreePorts.next();
        String id = "job-" + UUID.randomUUID().toString().substring(0, 8);
        HostJob started = client.start(server(id, port));
        assertThat(started.address()).isEqualTo("127.0.0.1:" + port);
        await().atMost(WAIT).until(() -> client.job(id).state() == JobState.UP);

        assertThat(get("127.0.0.1:" + port)).contains("fixed");
        assertThat(get("127.0.0.2:" + port)).contains("fixed");
        await().atMost(WAIT).until(() -> ANNOUNCED.containsKey("pgsys-postgres/" + id));
        assertThat(ANNOUNCED.get("pgsys-postgres/" + id)).containsEntry("job_addr", "127.0.0.2:" + port);
        assertThat(ADDRESSES.get("pgsys-postgres/" + id)).isEqualTo("127.0.0.1:" + port);

        // the port is this job's: another job asking for it is refused, naming the port and its holder
        assertThatThrownBy(() -> client.start(server("job-" + UUID.randomUUID().toString().substring(0, 8), port)))
                .isInstanceOfSatisfying(PierApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("port " + port).contains("taken by job " + id);
                });

        client.stop(id);
        await().atMost(WAIT).until(() -> client.job(id).state() == JobState.DOWN);
        assertThat(ANNOUNCED).doesNotContainKey("pgsys-postgres/" + id);
    }

    @Test
    void aFixedPortAnotherProgramHoldsIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            int port = taken.getLocalPort();
            String id = "job-" + UUID.randomUUID().toString().substring(0, 8);
            assertThatThrownBy(() -> client.start(server(id, port)))
                    .isInstanceOfSatisfying(PierApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.getMessage()).contains("port " + port).contains("another program")
                                .contains("127.0.0.2");
                    });
        }
    }

    @Test
    void aFixedPortOutsideTheUnprivilegedRangeOrWithoutAPortIsRefused() {
        assertThatThrownBy(() -> client.start(server("job-low", 80)))
                .isInstanceOfSatisfying(PierApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("fixed_host_port");
                });
        assertThatThrownBy(() -> client.start(server("job-noport", 30000).withPort(null)))
                .isInstanceOfSatisfying(PierApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
