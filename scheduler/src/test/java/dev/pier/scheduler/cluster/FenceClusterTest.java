package dev.pier.scheduler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.pier.api.Job;
import dev.pier.api.JobReport;
import dev.pier.api.JobState;
import dev.pier.api.Release;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.Fence;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.JobSpec;
import dev.pier.api.http.PierApiException;
import dev.pier.testkit.Command;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Fencing of the scheduler leader on the shared {@link LocalCluster} (real etcd, discoverd, controller, host agents
 * and two scheduler processes): the leading scheduler is SIGKILLed, and the fence it held, sent again as it would
 * have sent it, is refused by a host agent (no container changes) and by the controller (no job record changes),
 * while the new leader's actions go through.
 */
class FenceClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void aDeposedSchedulersChangesAreRefusedByHostsAndTheControllerAndTheNewLeaderActs() throws Exception {
        LocalCluster cluster = LocalCluster.shared();
        ControllerClient controller = cluster.controller();
        String app = "fence-" + UUID.randomUUID().toString().substring(0, 6);
        Release release = cluster.deploy(app, 1, "httpd -f -p $PORT");
        Job job = await().atMost(WAIT).until(() -> cluster.up(app, release.id()), l -> l.size() == 1).get(0);
        Instance old = cluster.discoverd().leader("pier-scheduler").leader();
        Fence stale = Fence.of("pier-scheduler", old);

        cluster.kill(old.id());
        Instance now = await().atMost(WAIT).ignoreExceptions().until(
                () -> cluster.discoverd().leader("pier-scheduler").leader(), l -> l != null && !l.id().equals(old.id()));
        try {
            String hostUrl = cluster.discoverd().instances("pier-host").stream()
                    .filter(i -> i.id().equals(job.hostId())).findFirst().orElseThrow().meta().get("url");
            HostAgentClient host = new HostAgentClient(URI.create(hostUrl), LocalCluster.KEY);

            PierApiException stop = catchThrowableOfType(() -> host.stop(job.id(), stale), PierApiException.class);
            assertThat(stop.status()).isEqualTo(409);
            assertThat(stop.detail()).startsWith(old.id() + " (fence " + old.index() + ") no longer leads "
                    + "pier-scheduler: ");
            assertThat(host.job(job.id()).state()).isEqualTo(JobState.UP);
            assertThat(running(job.id())).as("the refused stop left the container running").isTrue();

            String refused = "fenced-" + UUID.randomUUID().toString().substring(0, 8);
            PierApiException start = catchThrowableOfType(() -> host.start(JobSpec.of(refused, app, "web",
                    cluster.image(), List.of("sleep", "60")).withMemoryMb(16), stale), PierApiException.class);
            assertThat(start.status()).isEqualTo(409);
            assertThat(Command.check(Duration.ofSeconds(30), List.of("docker", "ps", "-aq", "--filter",
                    "label=pier.job=" + refused))).as("no container of the refused start").isBlank();

            ControllerClient deposed = new ControllerClient(controller.base(), LocalCluster.KEY, Duration.ofSeconds(15),
                    () -> stale);
            PierApiException report = catchThrowableOfType(() -> deposed.reportJob(app, job.id(), new JobReport(null,
                    null, null, JobState.CRASHED, "a deposed scheduler says so", null, null, null, null)),
                    PierApiException.class);
            assertThat(report.status()).isEqualTo(409);
            assertThat(report.field()).isEqualTo(Fence.HEADER);
            assertThat(report.detail()).contains(old.id() + " (fence " + old.index() + ") no longer leads");
            assertThat(controller.job(app, job.id()).state()).isEqualTo(JobState.UP);

            // the new leader acts: a scale it carries out (its starts and reports pass the same checks)
            controller.scale(app, release.id(), Map.of("web", 2));
            List<Job> two = await().atMost(WAIT).until(() -> cluster.up(app, release.id()), l -> l.size() == 2);
            assertThat(two).extracting(Job::id).contains(job.id());
            assertThat(cluster.discoverd().leader("pier-scheduler").leader().id()).isEqualTo(now.id());
        } finally {
            cluster.restart(old.id());
            controller.scale(app, release.id(), Map.of("web", 0));
        }
    }

    private static boolean running(String jobId) {
        return !Command.check(Duration.ofSeconds(30), List.of("docker", "ps", "-q", "--filter",
                "label=pier.job=" + jobId, "--filter", "status=running")).isBlank();
    }
}
