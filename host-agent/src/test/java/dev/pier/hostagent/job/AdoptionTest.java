package dev.pier.hostagent.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.JobState;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import dev.pier.api.host.LogEntry;
import dev.pier.hostagent.RunningAgent;
import dev.pier.testkit.DockerEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two agents on one engine; one restarts and adopts its running containers from their labels alone. */
class AdoptionTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private final List<RunningAgent> agents = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        agents.forEach(agent -> {
            try {
                agent.close();
            } finally {
                agent.removeContainers();
            }
        });
    }

    private static HostJob awaitState(HostAgentClient client, String id, JobState state) {
        return await().atMost(WAIT).until(() -> client.job(id), job -> job.state() == state);
    }

    @Test
    void aRestartedAgentAdoptsItsRunningJobsAndNeverTouchesAnotherHostsJobs() {
        String image = DockerEngine.testImage();
        RunningAgent first = RunningAgent.start(RunningAgent.newHostId());
        agents.add(first);
        RunningAgent second = RunningAgent.start(RunningAgent.newHostId());
        agents.add(second);
        String web = "web-" + UUID.randomUUID().toString().substring(0, 8);
        String ending = "end-" + UUID.randomUUID().toString().substring(0, 8);
        String neighbour = "other-" + UUID.randomUUID().toString().substring(0, 8);
        String unattached = "run-" + UUID.randomUUID().toString().substring(0, 8);
        HostJob webJob = first.client().start(HostAgentApiTest.web(web, image, "adopted"));
        first.client().start(JobSpec.of(ending, "shop", "worker", image, List.of("sh", "-c", "sleep 2; exit 4")));
        second.client().start(HostAgentApiTest.web(neighbour, image, "neighbour"));
        first.client().start(JobSpec.of(unattached, "shop", "run", image, List.of("sh")).withTty(true, true));
        HostJob up = awaitState(first.client(), web, JobState.UP);
        awaitState(second.client(), neighbour, JobState.UP);
        assertThat(second.client().jobs()).extracting(HostJob::id).containsExactly(neighbour);

        RunningAgent restarted = first.restart();
        agents.set(0, restarted);
        HostAgentClient client = restarted.client();

        HostJob adopted = awaitState(client, web, JobState.UP);
        assertThat(adopted.address()).isEqualTo(up.address());
        assertThat(adopted.createdAt()).isEqualTo(webJob.createdAt());
        List<LogEntry> logs = new ArrayList<>();
        client.logs(web, null, false, logs::add);
        assertThat(logs).extracting(LogEntry::text).containsExactly("hello adopted on 8000");
        HostJob crashed = awaitState(client, ending, JobState.CRASHED);
        assertThat(crashed.exitStatus()).isEqualTo(4);
        assertThat(awaitState(client, unattached, JobState.FAILED).reason())
                .as("an interactive job no attach started").isEqualTo("the container never started");
        assertThat(client.jobs()).extracting(HostJob::id).containsExactlyInAnyOrder(web, ending, unattached);
        assertThat(client.host().allocatedMemoryMb()).isEqualTo(64);
        assertThat(second.client().job(neighbour).state()).isEqualTo(JobState.UP);

        client.stop(web);
        assertThat(awaitState(client, web, JobState.DOWN).reason()).isEqualTo("stopped");
        assertThat(second.client().job(neighbour).state()).isEqualTo(JobState.UP);
    }
}
