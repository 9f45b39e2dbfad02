package dev.pier.hostagent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
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
