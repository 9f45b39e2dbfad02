package dev.pier.scheduler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pier.api.Job;
import dev.pier.api.JobState;
import dev.pier.api.ProcessType;
import dev.pier.api.ProcessVolume;
import dev.pier.api.Release;
import dev.pier.api.Volume;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.http.PierApiException;
import dev.pier.testkit.Command;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A process type with a volume on the shared {@link LocalCluster} (etcd, discoverd, the controller over PostgreSQL,
 * host agents on the Docker engine, schedulers): its job writes into its volume; killed, it is started again on the
 * volume's host and finds what it wrote; its host lost (the agent gone, its containers running), the job keeps its place
 * (told waiting for its host) and nothing is started empty elsewhere; the host back, the same job runs on, counted
 * again, never restarted. {@code GET /volumes} shows the volume
 * and who uses it, refuses to delete it while in use, keeps it when the type is scaled to 0, and deletes it when asked.
 */
class VolumesClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Appends the job's id to /data/jobs, then runs until stopped. */
    private static final String WRITE = "echo $PIER_JOB_ID >> /data/jobs && exec sleep 3600";

    private static LocalCluster cluster;
    private static ControllerClient controller;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalCluster.shared();
        controller = cluster.controller();
    }

    /** The app's db job that the controller holds up (on a host), other than {@code except}. */
    private static Optional<Job> upDb(String app, String except) {
        return controller.jobs(app, true).stream().filter(j -> j.state() == JobState.UP && "db".equals(j.processType())
                && j.hostId() != null && !j.id().equals(except)).findFirst();
    }

    /** What the job's volume holds: the ids of the jobs that wrote into it, read inside its container. */
    private static List<String> written(Job job) {
        return Command.check(Duration.ofSeconds(30), List.of("docker", "exec", "pier-" + job.hostId() + "-" + job.id(),
                "cat", "/data/jobs")).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Waits until every live agent but {@code host}'s has {@code jobId} on {@code host} in its view or its copy. */
    private static void awaitEveryOtherAgentKnows(String host, String jobId) {
        for (dev.pier.api.discoverd.Instance agent : cluster.discoverd().instances("pier-host")) {
            if (agent.id().equals(host)) {
                continue;
            }
            dev.pier.api.host.HostAgentClient other = new dev.pier.api.host.HostAgentClient(
                    java.net.URI.create(agent.meta().get("url")), LocalCluster.KEY);
            await().atMost(WAIT).ignoreExceptions().until(() -> other.standbyCluster().hosts().stream()
                    .anyMatch(h -> h.id().equals(host) && h.jobs().stream().anyMatch(j -> j.id().equals(jobId))));
        }
    }

    private static Volume volume(String app) {
        List<Volume> volumes = controller.volumes(app);
        assertThat(volumes).hasSize(1);
        return volumes.get(0);
    }

    @Test
    void aJobKeepsItsVolumeAcrossCrashesAndALostHostAndWaitsForItMeanwhile() throws Exception {
        String app = "vol-" + UUID.randomUUID().toString().substring(0, 6);
        Release v1 = cluster.release(app, Map.of("db", new ProcessType(WRITE, null, null,
                List.of(new ProcessVolume("/data", 64)), null)));
        controller.scale(app, v1.id(), Map.of("db", 1));
        Job first = await().atMost(WAIT).ignoreExceptions().until(() -> upDb(app, null), Optional::isPresent)
                .orElseThrow();
        String host = first.hostId();
        String name = app + ".db.0";
        await().atMost(WAIT).ignoreExceptions().until(() -> written(first).contains(first.id()));
        Volume made = await().atMost(WAIT).ignoreExceptions().until(() -> volume(app),
                v -> first.id().equals(v.jobId()));
        assertThat(made.name()).isEqualTo(name);
        assertThat(made.hostId()).isEqualTo(host);
        assertThat(made.processType()).isEqualTo("db");
        assertThat(made.path()).isEqualTo("/data");
        assertThat(made.sizeMb()).isEqualTo(64);
        assertThat(made.hostLost()).isFalse();

        // in use: not deleted
        assertThatThrownBy(() -> controller.deleteVolume(name)).isInstanceOfSatisfying(PierApiException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.getMessage()).contains("in use by job " + first.id());
        });

        // killed: started again on the volume's host, where it finds what the first one wrote
        Command.check(Duration.ofSeconds(30), List.of("docker", "kill", "pier-" + host + "-" + first.id()));
        Job second = await().atMost(WAIT).ignoreExceptions().until(() -> upDb(app, first.id()), Optional::isPresent)
                .orElseThrow();
        assertThat(second.hostId()).isEqualTo(host);
        await().atMost(WAIT).ignoreExceptions().until(() -> written(second).equals(List.of(first.id(), second.id())));

        // its host is lost: the job keeps its place, told waiting for its host, and no db job starts elsewhere.
        // If the host was the host leader, its successor knows its jobs only from its last copy of the view (taken
        // every 2 s): the host is killed once every other agent's copy has the second job (CI once killed it
        // first; the job, unknown to the new leader, was then ended as lost: see the closing note of 2026-12-06).
        awaitEveryOtherAgentKnows(host, second.id());
        cluster.kill(host); // its containers keep running
        try {
            await().atMost(WAIT).ignoreExceptions().until(() -> controller.job(app, second.id()).reason(),
                    reason -> ("host " + host + " was lost: the job keeps its place and its volume there, and runs on "
                            + "when the host returns").equals(reason));
            assertThat(controller.job(app, second.id()).state()).isEqualTo(JobState.UP);
            await().during(Duration.ofSeconds(8)).atMost(WAIT).until(() -> controller.jobs(app, true).stream()
                    .allMatch(j -> j.id().equals(second.id())));
            assertThat(volume(app).hostLost()).isTrue();
            assertThat(volume(app).hostId()).isEqualTo(host);
        } finally {
            cluster.restart(host);
        }

        // the host is back with the job still running: the same job runs on, counted again, nothing restarted
        await().atMost(WAIT).ignoreExceptions().until(() -> controller.job(app, second.id()).reason() == null);
        await().during(Duration.ofSeconds(8)).atMost(WAIT).until(() -> controller.jobs(app, true).stream()
                .map(Job::id).toList().equals(List.of(second.id())));
        assertThat(controller.job(app, second.id()).state()).isEqualTo(JobState.UP);
        assertThat(written(second)).isEqualTo(List.of(first.id(), second.id()));

        // scaled to 0: the job stops, the volume stays; deleted when asked
        controller.scale(app, v1.id(), Map.of("db", 0));
        await().atMost(WAIT).until(() -> controller.jobs(app, true).isEmpty());
        await().atMost(WAIT).ignoreExceptions().until(() -> volume(app).jobId() == null);
        controller.deleteVolume(name);
        assertThat(controller.volumes(app)).isEmpty();
        controller.deleteApp(app);
    }
}
