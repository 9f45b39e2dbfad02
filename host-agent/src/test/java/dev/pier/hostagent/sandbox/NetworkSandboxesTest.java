package dev.pier.hostagent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import dev.pier.hostagent.runtime.ContainerInfo;
import dev.pier.hostagent.runtime.ContainerSpec;
import dev.pier.hostagent.runtime.DockerContainerRuntime;
import dev.pier.hostagent.runtime.PortReservations;
import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The network sandbox pool on the machine's real Docker engine, with the Docker runtime starting jobs in it. */
class NetworkSandboxesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String RUN = DockerEngine.newRunId();
    private static DockerClient docker;
    private static String image;
    private final List<String> hosts = new ArrayList<>();
    private final List<NetworkSandboxes> pools = new ArrayList<>();

    @BeforeAll
    static void engine() {
        image = DockerEngine.testImage();
        docker = DockerContainerRuntime.client(DockerEngine.host());
    }

    @AfterEach
    void closePools() {
        pools.forEach(NetworkSandboxes::close);
        hosts.forEach(host -> DockerEngine.removeContainers("pier.host", host));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        DockerEngine.removeTestContainers(RUN);
        if (docker != null) {
            docker.close();
        }
    }

    private String newHost() {
        String host = RUN + "-" + UUID.randomUUID().toString().substring(0, 6);
        hosts.add(host);
        return host;
    }

    private NetworkSandboxes pool(String host, int size) {
        NetworkSandboxes pool = new NetworkSandboxes(docker, host,
                new SandboxProperties(size, 0, image, 8, Duration.ofSeconds(1)), Clock.systemUTC()).open();
        pools.add(pool);
        return pool;
    }

    private DockerContainerRuntime runtime(String host, NetworkSandboxes pool) {
        return new DockerContainerRuntime(docker, URI.create(DockerEngine.host()), host, "127.0.0.1")
                .withSandboxes(pool);
    }

    private static ContainerSpec build(String job, String script) {
        return new ContainerSpec(job, "shop", null, "build", image, List.of(), List.of("sh", "-c", script), Map.of(),
                64L << 20, null, null, null, false, false, Map.of(DockerEngine.TEST_LABEL, RUN));
    }

    /** The host's sandbox containers (by label), running or not. */
    private static List<String> sandboxesOn(String host) {
        return Command.check(WAIT, List.of("docker", "ps", "-a", "--filter", "label=pier.host=" + host,
                "--filter", "label=" + NetworkSandboxes.LABEL_SANDBOX, "--format",
                "{{.Names}} {{.Label \"pier.job\"}}")).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.contains(" ")).toList();
    }

    private static String inspect(String container, String format) {
        return Command.check(WAIT, List.of("docker", "inspect", "-f", format, container)).strip();
    }

    @Test
    void aJobWithoutAPortStartsInAReadySandboxWhichGoesWithItAndIsReplaced() {
        String host = newHost();
        NetworkSandboxes pool = pool(host, 1);
        DockerContainerRuntime runtime = runtime(host, pool);
        String ready = await().atMost(WAIT).until(pool::idle, idle -> idle.size() == 1).get(0);

        String job = "build-" + UUID.randomUUID().toString().substring(0, 8);
        runtime.start(build(job, "cat /etc/hosts; sleep 30"));
        String container = "pier-" + host + "-" + job;

        // Docker records the joined container by its id
        assertThat(inspect(container, "{{.HostConfig.NetworkMode}}")).isEqualTo("container:" + inspect(ready, "{{.Id}}"));
        assertThat(runtime.inspect(job).orElseThrow().labels()).containsEntry(NetworkSandboxes.LABEL_SANDBOX, ready);
        // the sandbox has the host alias every job gets, and the job's own memory limit is its own
        await().atMost(WAIT).untilAsserted(() -> assertThat(Command.check(WAIT, List.of("docker", "logs", container)))
                .contains(DockerContainerRuntime.HOST_ALIAS));
        assertThat(inspect(container, "{{.HostConfig.Memory}}")).isEqualTo(String.valueOf(64L << 20));
        assertThat(inspect(ready, "{{.HostConfig.Memory}}")).isEqualTo(String.valueOf(8L << 20));
        // no one else gets it while the job has it: a new one is made
        String next = await().atMost(WAIT).until(pool::idle, idle -> idle.size() == 1).get(0);
        assertThat(next).isNotEqualTo(ready);

        runtime.remove(job);

        assertThat(sandboxesOn(host)).containsExactly(next);
    }

    /** Reservations over a small range, as the job table makes them (a port another program holds is skipped). */
    private static final class Reservations implements PortReservations {
        private final dev.pier.hostagent.job.JobTable table;
        private final java.util.function.IntPredicate bindable = port -> {
            try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
                socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        };

        Reservations(int first) {
            table = new dev.pier.hostagent.job.JobTable("h", "u", "127.0.0.1",
                    new dev.pier.hostagent.job.PortRange(first, first + 9), 4096);
        }

        @Override
        public synchronized java.util.Optional<Integer> reserve() {
            return table.reserve(bindable);
        }

        @Override
        public synchronized void free(int port) {
            table.free(port);
        }

        synchronized java.util.Set<Integer> reserved() {
            return table.reserved();
        }

        /** A web job admitted with the claimed sandbox's port, as the agent's supervisor does. */
        synchronized int admit(String job, int published) {
            return table.admit(dev.pier.api.host.JobSpec.of(job, "shop", "web", image, List.of("serve")).withPort(8080),
                    java.time.Instant.now(), bindable, bindable, published).hostPort();
        }
    }

    @Test
    void aWebJobJoinsASandboxThatPublishesItsPortAheadAndIsReachedThere() throws Exception {
        String host = newHost();
        NetworkSandboxes pool = new NetworkSandboxes(docker, host, "127.0.0.1",
                new SandboxProperties(0, 1, image, 8, Duration.ofSeconds(1)), Clock.systemUTC()).open();
        pools.add(pool);
        DockerContainerRuntime runtime = runtime(host, pool);
        Reservations reservations = new Reservations(dev.pier.testkit.FreePorts.next());
        assertThat(pool.claimPublishing(8080)).as("no reservations yet: no sandbox for web jobs").isEmpty();
        pool.publishWith(reservations);
        NetworkSandboxes.Published ready = await().atMost(WAIT).until(pool::idleWeb, idle -> idle.size() == 1).get(0);
        assertThat(reservations.reserved()).containsExactly(ready.hostPort());
        assertThat(inspect(ready.name(), "{{json .HostConfig.PortBindings}}"))
                .contains("\"HostIp\":\"127.0.0.1\",\"HostPort\":\"" + ready.hostPort() + "\"").contains("8080/tcp");
        assertThat(pool.claimPublishing(9000)).as("only the web port is published ahead").isEmpty();

        NetworkSandboxes.Published claimed = pool.claimPublishing(8080).orElseThrow();
        assertThat(claimed).isEqualTo(ready);
        String job = "web-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(reservations.admit(job, claimed.hostPort())).isEqualTo(claimed.hostPort());
        assertThat(reservations.reserved()).as("the job's now, no longer reserved (the next sandbox's may be)")
                .doesNotContain(claimed.hostPort());
        runtime.start(build(job, "mkdir -p /tmp/www; echo served >/tmp/www/index.html; exec httpd -f -p 8080 -h /tmp/www")
                .withPort(8080, claimed.hostPort()).inSandbox(claimed.name()));

        String container = "pier-" + host + "-" + job;
        assertThat(inspect(container, "{{.HostConfig.NetworkMode}}")).isEqualTo("container:" + inspect(ready.name(), "{{.Id}}"));
        assertThat(inspect(container, "{{json .HostConfig.PortBindings}}")).as("it publishes nothing itself")
                .isIn("{}", "null");
        ContainerInfo info = runtime.inspect(job).orElseThrow();
        assertThat(info.hostPort()).as("read back, as an agent that adopts it does").isEqualTo(claimed.hostPort());
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(http.send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + claimed.hostPort() + "/")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("served\n"));
        // the next one is made on another port; the job's stays the job's
        NetworkSandboxes.Published next = await().atMost(WAIT).until(pool::idleWeb, idle -> idle.size() == 1).get(0);
        assertThat(next.hostPort()).isNotEqualTo(claimed.hostPort());

        runtime.remove(job);
        assertThat(sandboxesOn(host)).containsExactly(next.name());
        pool.close();
        assertThat(sandboxesOn(host)).isEmpty();
        assertThat(reservations.reserved()).as("the idle one's port went back to the range").isEmpty();
    }

    @Test
    void twoJobsNeverShareASandboxAndAJobWithAPortMakesItsOwnNetwork() {
        String host = newHost();
        NetworkSandboxes pool = pool(host, 2);
        DockerContainerRuntime runtime = runtime(host, pool);
        await().atMost(WAIT).until(() -> pool.idle().size() == 2);

        String a = "build-a-" + UUID.randomUUID().toString().substring(0, 6);
        String b = "build-b-" + UUID.randomUUID().toString().substring(0, 6);
        String web = "web-" + UUID.randomUUID().toString().substring(0, 6);
        runtime.start(build(a, "sleep 30"));
        runtime.start(build(b, "sleep 30"));
        runtime.start(build(web, "sleep 30").withPort(8080, freePort()));

        String sandboxA = runtime.inspect(a).orElseThrow().labels().get(NetworkSandboxes.LABEL_SANDBOX);
        String sandboxB = runtime.inspect(b).orElseThrow().labels().get(NetworkSandboxes.LABEL_SANDBOX);
        assertThat(sandboxA).isNotNull();
        assertThat(sandboxB).isNotNull().isNotEqualTo(sandboxA);
        assertThat(runtime.inspect(web).orElseThrow().labels()).doesNotContainKey(NetworkSandboxes.LABEL_SANDBOX);
        assertThat(inspect("pier-" + host + "-" + web, "{{.HostConfig.NetworkMode}}")).doesNotStartWith("container:");
        // the runtime's own listing shows jobs only, never the sandboxes
        assertThat(runtime.list()).extracting(ContainerInfo::jobId).containsExactlyInAnyOrder(a, b, web);
    }

    @Test
    void anIdleSandboxThatDiesIsReplaced() {
        String host = newHost();
        NetworkSandboxes pool = pool(host, 1);
        String first = await().atMost(WAIT).until(pool::idle, idle -> idle.size() == 1).get(0);

        Command.check(WAIT, List.of("docker", "kill", first));

        await().atMost(WAIT).until(() -> pool.idle().size() == 1 && !pool.idle().contains(first));
        await().atMost(WAIT).until(() -> !sandboxesOn(host).contains(first));
    }

    @Test
    void closingRemovesTheIdleSandboxesAndKeepsTheOnesJobsJoined() {
        String host = newHost();
        NetworkSandboxes pool = pool(host, 1);
        DockerContainerRuntime runtime = runtime(host, pool);
        await().atMost(WAIT).until(() -> pool.idle().size() == 1);
        String job = "build-" + UUID.randomUUID().toString().substring(0, 8);
        runtime.start(build(job, "sleep 60"));
        String joined = runtime.inspect(job).orElseThrow().labels().get(NetworkSandboxes.LABEL_SANDBOX);
        await().atMost(WAIT).until(() -> pool.idle().size() == 1);

        pool.close();

        assertThat(sandboxesOn(host)).containsExactly(joined);
        assertThat(runtime.inspect(job).orElseThrow().isRunning()).isTrue();
    }

    @Test
    void anAgentStartingAgainRemovesWhatTheLastOneLeftIdleAndKeepsTheJoinedOnes() {
        String host = newHost();
        NetworkSandboxes crashed = new NetworkSandboxes(docker, host,
                new SandboxProperties(2, 0, image, 8, Duration.ofSeconds(1)), Clock.systemUTC()).open();
        DockerContainerRuntime before = runtime(host, crashed);
        await().atMost(WAIT).until(() -> crashed.idle().size() == 2);
        String job = "build-" + UUID.randomUUID().toString().substring(0, 8);
        before.start(build(job, "sleep 60"));
        String joined = before.inspect(job).orElseThrow().labels().get(NetworkSandboxes.LABEL_SANDBOX);
        List<String> leftIdle = await().atMost(WAIT).until(crashed::idle, idle -> idle.size() == 2);
        crashedWithoutClosing(crashed);

        NetworkSandboxes again = pool(host, 1);
        DockerContainerRuntime after = runtime(host, again);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(again.idle()).hasSize(1).doesNotContainAnyElementsOf(leftIdle);
            assertThat(sandboxesOn(host)).containsExactlyInAnyOrder(joined, again.idle().get(0));
        });
        // the job adopted after the restart gives its sandbox back when it is removed
        after.remove(job);
        assertThat(sandboxesOn(host)).doesNotContain(joined);
    }

    /** What an agent killed with SIGKILL leaves: its sandboxes, and no more sweeps. */
    private static void crashedWithoutClosing(NetworkSandboxes pool) {
        pool.abandon();
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
