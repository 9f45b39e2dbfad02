package dev.pier.hostagent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import dev.pier.hostagent.runtime.ContainerInfo;
import dev.pier.hostagent.runtime.ContainerSpec;
import dev.pier.hostagent.runtime.DockerContainerRuntime;
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
                new SandboxProperties(size, image, 8, Duration.ofSeconds(1)), Clock.systemUTC()).open();
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
                new SandboxProperties(2, image, 8, Duration.ofSeconds(1)), Clock.systemUTC()).open();
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
