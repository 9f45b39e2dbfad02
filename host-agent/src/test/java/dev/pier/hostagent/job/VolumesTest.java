package dev.pier.hostagent.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pier.api.JobState;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.HostVolume;
import dev.pier.api.host.JobSpec;
import dev.pier.api.host.LogEntry;
import dev.pier.api.host.VolumeMount;
import dev.pier.api.http.PierApiException;
import dev.pier.hostagent.RunningAgent;
import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Volumes on one real agent over the real Docker engine: made by the first job that mounts one, kept with its data
 * across the job's end and the agent's restart, listed with the job using it, deleted only when asked and never
 * while a job uses it.
 */
class VolumesTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private String image;
    private RunningAgent agent;
    private HostAgentClient client;

    @BeforeEach
    void startAgent() {
        image = DockerEngine.testImage();
        agent = RunningAgent.start(RunningAgent.newHostId());
        client = agent.client();
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            try {
                agent.close();
            } finally {
                agent.removeContainers();
            }
        }
    }

    private static String newJobId() {
        return "job-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A job of shop/db that appends {@code word} to /data/words, prints the file, then waits to be stopped. */
    private JobSpec writer(String id, String word) {
        return JobSpec.of(id, "shop", "db", image, List.of("sh", "-c",
                        "echo " + word + " >> /data/words; echo \"words: $(cat /data/words | tr '\\n' ' ')\"; "
                                + "exec sleep 300"))
                .withMemoryMb(32).withVolumes(List.of(new VolumeMount("shop.db.0", "/data", 256)));
    }

    private HostJob awaitState(HostAgentClient agentClient, String id, JobState state) {
        return await().atMost(WAIT).until(() -> agentClient.job(id), job -> job.state() == state);
    }

    private String awaitLog(HostAgentClient agentClient, String id, String text) {
        return await().atMost(WAIT).until(() -> logText(agentClient, id), log -> log.contains(text));
    }

    private static String logText(HostAgentClient agentClient, String id) {
        List<LogEntry> lines = new CopyOnWriteArrayList<>();
        agentClient.logs(id, null, false, lines::add);
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line.text()).append('\n'));
        return text.toString();
    }

    @Test
    void aVolumeKeepsItsDataAcrossJobsAndAgentRestartsAndIsDeletedOnlyWhenUnused() {
        String first = newJobId();
        client.start(writer(first, "one"));
        awaitState(client, first, JobState.UP);
        awaitLog(client, first, "words: one");

        HostVolume listed = client.volumes().stream().filter(v -> v.name().equals("shop.db.0")).findFirst()
                .orElseThrow();
        assertThat(listed.hostId()).isEqualTo(agent.hostId());
        assertThat(listed.app()).isEqualTo("shop");
        assertThat(listed.processType()).isEqualTo("db");
        assertThat(listed.path()).isEqualTo("/data");
        assertThat(listed.sizeMb()).isEqualTo(256);
        assertThat(listed.createdAt()).isNotNull();
        assertThat(listed.jobId()).isEqualTo(first);
        assertThat(client.host().volumes()).extracting(HostVolume::name).contains("shop.db.0");
        assertThat(client.job(first).volumes()).containsExactly("shop.db.0");

        // a second job may not take a volume a job still uses, and the volume cannot be deleted meanwhile
        assertThatThrownBy(() -> client.start(writer(newJobId(), "two")))
                .isInstanceOfSatisfying(PierApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("volume shop.db.0 is in use by job " + first);
                });
        assertThatThrownBy(() -> client.deleteVolume("shop.db.0"))
                .isInstanceOfSatisfying(PierApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("in use by job " + first);
                });

        // the job is killed: its volume stays, and the next job of the slot finds what it wrote
        client.stop(first);
        awaitState(client, first, JobState.DOWN);
        assertThat(client.volumes()).filteredOn(v -> v.name().equals("shop.db.0")).singleElement()
                .satisfies(v -> assertThat(v.jobId()).isNull());
        String second = newJobId();
        client.start(writer(second, "two"));
        awaitLog(client, second, "words: one two");
        client.stop(second);
        awaitState(client, second, JobState.DOWN);

        // the agent restarts: it finds its volume again, and the data is there
        agent = agent.restart();
        client = agent.client();
        assertThat(client.volumes()).extracting(HostVolume::name, HostVolume::app, HostVolume::sizeMb)
                .contains(org.assertj.core.groups.Tuple.tuple("shop.db.0", "shop", 256));
        String third = newJobId();
        client.start(writer(third, "three"));
        awaitLog(client, third, "words: one two three");
        client.stop(third);
        awaitState(client, third, JobState.DOWN);

        // deleted when asked, with its data (the ended jobs' containers that mounted it go first)
        client.deleteVolume("shop.db.0");
        assertThat(client.volumes()).extracting(HostVolume::name).doesNotContain("shop.db.0");
        assertThat(Command.check(Duration.ofSeconds(30), List.of("docker", "volume", "ls", "-q", "--filter",
                "label=pier.host=" + agent.hostId()))).isBlank();
        assertThatThrownBy(() -> client.deleteVolume("shop.db.0"))
                .isInstanceOfSatisfying(PierApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        String fourth = newJobId();
        client.start(writer(fourth, "four"));
        awaitLog(client, fourth, "words: four");
        assertThat(logText(client, fourth)).doesNotContain("one");
    }

    @Test
    void aBadMountIsRefusedNamingTheField() {
        assertThatThrownBy(() -> client.start(writer(newJobId(), "x")
                .withVolumes(List.of(new VolumeMount("shop.db.0", "data")))))
                .isInstanceOfSatisfying(PierApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("volume path 'data'");
                });
        assertThatThrownBy(() -> client.start(writer(newJobId(), "x")
                .withVolumes(List.of(new VolumeMount("../etc", "/data")))))
                .isInstanceOfSatisfying(PierApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
