package dev.pier.hostagent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import dev.pier.api.JobState;
import dev.pier.hostagent.RunningAgent;
import dev.pier.hostagent.runtime.Sandboxes;
import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent as a process runs it: its pool from configuration, jobs through its API, its stop cleaning up. */
class AgentSandboxesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static String image;

    @BeforeAll
    static void engine() {
        image = DockerEngine.testImage();
    }

    private static List<String> sandboxesOn(String host) {
        return Command.check(WAIT, List.of("docker", "ps", "-a", "--filter", "label=pier.host=" + host,
                "--filter", "label=" + NetworkSandboxes.LABEL_SANDBOX, "--format",
                "{{.Names}} {{.Label \"pier.job\"}}")).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.contains(" ")).toList();
    }

    @Test
    void aBuildThroughTheApiRunsInASandboxAndTheAgentsStopLeavesNoIdleOne() {
        String host = RunningAgent.newHostId();
        RunningAgent agent = RunningAgent.start(host, Map.of("pier.host-agent.sandboxes.size", "1",
                "pier.host-agent.sandboxes.image", image));
        try {
            HostAgentClient client = agent.client();
            // the pool's own idle list, which a claim takes from: Docker lists a sandbox as soon as it is created,
            // before its start returns and the pool counts it idle (a build claimed in that window got none on CI)
            NetworkSandboxes pool = (NetworkSandboxes) agent.context().getBean(Sandboxes.class);
            String ready = await().atMost(WAIT).until(pool::idle, names -> names.size() == 1).get(0);
            assertThat(sandboxesOn(host)).containsExactly(ready);
            String id = "build-" + UUID.randomUUID().toString().substring(0, 8);

            client.start(JobSpec.of(id, "shop", "build", image, List.of("sh", "-c", "echo built")));

            HostJob done = await().atMost(WAIT).until(() -> client.job(id), job -> job.state() == JobState.DOWN);
            assertThat(done.exitStatus()).isZero();
            assertThat(Command.check(WAIT, List.of("docker", "inspect", "-f", "{{index .Config.Labels \"pier.sandbox\"}}",
                    "pier-" + host + "-" + id)).strip()).isEqualTo(ready);
            // the pool holds back its memory from what the host offers jobs: 1024 MB less one sandbox of 8
            assertThat(client.host().totalMemoryMb()).isEqualTo(1016);

            client.remove(id);
            await().atMost(WAIT).untilAsserted(() -> assertThat(sandboxesOn(host)).hasSize(1).doesNotContain(ready));

            agent.close();

            assertThat(sandboxesOn(host)).isEmpty();
        } finally {
            agent.close();
            agent.removeContainers();
        }
    }

    /**
     * Issue #16: a web job's container joins a sandbox whose port (one of the agent's range) is published already;
     * it is up once its app listens, served at that port, and an agent that restarts adopts it with its address.
     */
    @Test
    void aWebJobStartsInASandboxThatPublishedItsPortAndKeepsItsAddressAcrossARestart() throws Exception {
        String host = RunningAgent.newHostId();
        RunningAgent[] agent = {RunningAgent.start(host, Map.of("pier.host-agent.sandboxes.size", "0",
                "pier.host-agent.sandboxes.web-size", "1", "pier.host-agent.sandboxes.image", image))};
        try {
            NetworkSandboxes pool = (NetworkSandboxes) agent[0].context().getBean(Sandboxes.class);
            NetworkSandboxes.Published ready = await().atMost(WAIT).until(pool::idleWeb, idle -> idle.size() == 1).get(0);
            String id = "web-" + UUID.randomUUID().toString().substring(0, 8);

            HostJob started = agent[0].client().start(JobSpec.of(id, "shop", "web", image, List.of("sh", "-c",
                    "mkdir -p /tmp/www; echo \"port $PORT\" >/tmp/www/index.html; exec httpd -f -p $PORT -h /tmp/www"))
                    .withPort(8080).withMemoryMb(16));

            assertThat(started.address()).isEqualTo("127.0.0.1:" + ready.hostPort());
            assertThat(Command.check(WAIT, List.of("docker", "inspect", "-f", "{{index .Config.Labels \"pier.sandbox\"}}",
                    "pier-" + host + "-" + id)).strip()).isEqualTo(ready.name());
            await().atMost(WAIT).until(() -> agent[0].client().job(id).state() == JobState.UP);
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            assertThat(http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + started.address() + "/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("port 8080\n");
            // the pool's memory is held back: 1024 MB less one sandbox of 8 (the web one; none for builds)
            assertThat(agent[0].client().host().totalMemoryMb()).isEqualTo(1016);

            agent[0] = agent[0].restart();

            HostJob adopted = await().atMost(WAIT).until(() -> agent[0].client().job(id), j -> j.state() == JobState.UP);
            assertThat(adopted.address()).as("adopted with its sandbox's port").isEqualTo(started.address());
            NetworkSandboxes again = (NetworkSandboxes) agent[0].context().getBean(Sandboxes.class);
            NetworkSandboxes.Published next = await().atMost(WAIT).until(again::idleWeb, idle -> idle.size() == 1).get(0);
            assertThat(next.hostPort()).as("never the adopted job's port").isNotEqualTo(ready.hostPort());

            // stopped, the job leaves its sandbox at once (its container stays, for its logs): its port refuses
            agent[0].client().stop(id);
            await().atMost(WAIT).until(() -> agent[0].client().job(id).state().isTerminal());
            await().atMost(WAIT).untilAsserted(() -> assertThat(sandboxesOn(host)).doesNotContain(ready.name()));
            assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", ready.hostPort()).close())
                    .isInstanceOf(java.net.ConnectException.class);
            assertThat(Command.check(WAIT, List.of("docker", "inspect", "-f", "{{.State.Status}}",
                    "pier-" + host + "-" + id)).strip()).isEqualTo("exited");
        } finally {
            agent[0].close();
            agent[0].removeContainers();
        }
    }

    @Test
    void sizeZeroStartsAnAgentWithoutSandboxes() {
        String host = RunningAgent.newHostId();
        RunningAgent agent = RunningAgent.start(host, Map.of("pier.host-agent.sandboxes.size", "0"));
        try {
            String id = "build-" + UUID.randomUUID().toString().substring(0, 8);
            agent.client().start(JobSpec.of(id, "shop", "build", image, List.of("sh", "-c", "echo built")));

            await().atMost(WAIT).until(() -> agent.client().job(id), job -> job.state() == JobState.DOWN);
            assertThat(sandboxesOn(host)).isEmpty();
            assertThat(Command.check(WAIT, List.of("docker", "inspect", "-f", "{{.HostConfig.NetworkMode}}",
                    "pier-" + host + "-" + id)).strip()).doesNotStartWith("container:");
            assertThat(agent.client().host().totalMemoryMb()).isEqualTo(1024);
        } finally {
            agent.close();
            agent.removeContainers();
        }
    }
}
