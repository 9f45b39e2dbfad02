package dev.pier.hostagent.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.pier.api.JobState;
import dev.pier.api.discoverd.Candidacy;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Fence;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.Watch;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import dev.pier.api.http.PierApiException;
import dev.pier.hostagent.RunningAgent;
import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.EtcdCluster;
import dev.pier.testkit.EtcdServer;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.Requirements;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fencing of the scheduler leader (docs/scheduler.md, "Fencing") against the real thing: etcd (one member, or a
 * cluster of three of which two are stopped, leaving a minority), discoverd (its jar, a process) and a host agent on
 * the Docker engine. The leaders are candidates of {@code pier-scheduler} campaigning through discoverd as the
 * scheduler's election does; each start and stop carries the candidate's fence as a scheduler sends it. A deposed
 * leader's, and a leader's whose etcd member has lost its quorum, are refused and change no container; the new
 * leader's go through.
 */
class LeaderFenceTest {
    private static final String SERVICE = "pier-scheduler";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration START_UP = Duration.ofMinutes(4);
    private static final Path DISCOVERD_JAR = Path.of("..", "discoverd", "target", "pier-discoverd-exec.jar");

    private final List<AutoCloseable> closing = new ArrayList<>();
    private Process discoverd;
    private Path logs;
    private RunningAgent agent;

    @AfterEach
    void cleanUp() throws Exception {
        if (agent != null) {
            agent.close();
            agent.removeContainers();
        }
        if (discoverd != null) {
            discoverd.destroyForcibly().waitFor();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (logs != null) {
            Command.run(Duration.ofSeconds(30), List.of("rm", "-rf", logs.toString()));
        }
    }

    @Test
    void aDeposedLeadersStartAndStopAreRefusedAndTheNewLeadersGoThrough() throws Exception {
        EtcdServer etcd = EtcdServer.start();
        closing.add(etcd);
        DiscoverdClient discoverd = startDiscoverdAndAgent(etcd.endpoint());

        // a leads and heartbeats while its first job starts; then it hangs: its lease lapses in 5 s while it
        // still believes it leads
        Fence a = leadAs(discoverd, "scheduler-a", 5);
        AutoCloseable heartbeat = heartbeat(discoverd, "scheduler-a", 5);
        HostAgentClient host = agent.client();
        String kept = "job-" + UUID.randomUUID().toString().substring(0, 8);
        host.start(worker(kept), a);
        awaitState(host, kept, JobState.UP);
        heartbeat.close();

        campaign(discoverd, "scheduler-b", 120);
        Instance b = await().atMost(WAIT).until(() -> discoverd.leader(SERVICE).leader(),
                l -> l != null && l.id().equals("scheduler-b"));
        Fence fenceB = Fence.of(SERVICE, b);
        assertThat(fenceB.index()).as("a later leader's fence is newer").isGreaterThan(a.index());

        String refused = "job-" + UUID.randomUUID().toString().substring(0, 8);
        PierApiException start = catchThrowableOfType(() -> host.start(worker(refused), a), PierApiException.class);
        assertThat(start.status()).isEqualTo(409);
        assertThat(start.field()).isEqualTo(Fence.HEADER);
        assertThat(start.detail()).isEqualTo("scheduler-a (fence " + a.index() + ") no longer leads pier-scheduler: "
                + "scheduler-b (fence " + b.index() + ") does; refused: start job " + refused + " on host "
                + agent.hostId());
        assertThat(HostAgentClient.isFenced(start)).isTrue();
        assertNoJob(host, refused);

        PierApiException stop = catchThrowableOfType(() -> host.stop(kept, a), PierApiException.class);
        assertThat(stop.status()).isEqualTo(409);
        assertThat(stop.detail()).startsWith("scheduler-a (fence " + a.index() + ") no longer leads pier-scheduler: ")
                .endsWith("refused: stop job " + kept + " on host " + agent.hostId());
        assertThat(host.job(kept).state()).isEqualTo(JobState.UP);
        assertThat(runningContainers(kept)).as("the refused stop left its container running").isEqualTo(1);
        assertThatThrownBy(() -> host.remove(kept, a)).isInstanceOf(PierApiException.class)
                .matches(e -> HostAgentClient.isFenced((PierApiException) e));

        // the new leader acts
        host.stop(kept, fenceB);
        await().atMost(WAIT).until(() -> host.job(kept).state().isTerminal());
        assertThat(runningContainers(kept)).isZero();
        String started = "job-" + UUID.randomUUID().toString().substring(0, 8);
        host.start(worker(started), fenceB);
        awaitState(host, started, JobState.UP);
        assertThat(runningContainers(started)).isEqualTo(1);
    }

    @Test
    void aLeaderWhoseEtcdMemberLostTheQuorumIsRefusedUntilHealedAndThenDeposed() throws Exception {
        EtcdCluster etcd = EtcdCluster.start(3);
        closing.add(etcd);
        // discoverd and the agent are on member 0's machine: the side that is cut off
        DiscoverdClient discoverd = startDiscoverdAndAgent(etcd.endpoint(0));
        // a leads and heartbeats until the cut (a lease of 10 s: the cut comes well within it), never after
        Fence a = leadAs(discoverd, "scheduler-a", 10);
        AutoCloseable heartbeat = heartbeat(discoverd, "scheduler-a", 10);
        HostAgentClient host = agent.client();
        String kept = "job-" + UUID.randomUUID().toString().substring(0, 8);
        host.start(worker(kept), a);
        awaitState(host, kept, JobState.UP);
        Watch view = discoverd.watch(SERVICE, event -> { });
        closing.add(view);
        await().atMost(WAIT).until(() -> view.leader().map(Instance::id).orElse(""), "scheduler-a"::equals);

        heartbeat.close();
        assertThat(discoverd.leader(SERVICE).leader().index()).as("a's candidacy never lapsed").isEqualTo(a.index());
        etcd.stop(1);
        etcd.stop(2);

        // discoverd's own view still says a leads (it cannot hear otherwise), but nobody can confirm it by quorum
        assertThat(view.leader()).map(Instance::id).contains("scheduler-a");
        String refused = "job-" + UUID.randomUUID().toString().substring(0, 8);
        PierApiException start = catchThrowableOfType(() -> host.start(worker(refused), a), PierApiException.class);
        assertThat(start.status()).isEqualTo(503);
        assertThat(start.field()).isEqualTo(Fence.HEADER);
        assertThat(start.detail()).startsWith("cannot confirm that scheduler-a (fence " + a.index()
                + ") still leads pier-scheduler, so it may not start job " + refused + " on host " + agent.hostId()
                + ": ");
        assertThat(HostAgentClient.isFenced(start)).isTrue();
        assertNoJob(host, refused);
        PierApiException stop = catchThrowableOfType(() -> host.stop(kept, a), PierApiException.class);
        assertThat(stop.status()).isEqualTo(503);
        assertThat(host.job(kept).state()).isEqualTo(JobState.UP);
        assertThat(runningContainers(kept)).as("the refused stop left its container running").isEqualTo(1);

        // healed: a's lease (not renewed) lapses and b leads; a is refused as deposed, b acts
        etcd.restart(1);
        etcd.restart(2);
        etcd.awaitHealthy(0);
        await().atMost(WAIT).ignoreExceptions().until(() -> campaign(discoverd, "scheduler-b", 120) != null);
        Instance b = await().atMost(WAIT).ignoreExceptions().until(() -> discoverd.leader(SERVICE).leader(),
                l -> l != null && l.id().equals("scheduler-b"));
        PierApiException deposed = catchThrowableOfType(() -> host.stop(kept, a), PierApiException.class);
        assertThat(deposed.status()).isEqualTo(409);
        assertThat(deposed.detail()).startsWith("scheduler-a (fence " + a.index() + ") no longer leads pier-scheduler: "
                + "scheduler-b (fence " + b.index() + ") does");
        assertThat(runningContainers(kept)).isEqualTo(1);
        host.stop(kept, Fence.of(SERVICE, b));
        await().atMost(WAIT).until(() -> host.job(kept).state().isTerminal());
        assertThat(runningContainers(kept)).isZero();
    }

    private DiscoverdClient startDiscoverdAndAgent(String etcdEndpoints) throws IOException {
        Requirements.require(Files.isRegularFile(DISCOVERD_JAR), "the discoverd jar (" + DISCOVERD_JAR
                + ", built by mvn package)");
        DockerEngine.require();
        logs = Files.createTempDirectory("pier-fence-test-");
        int port = FreePorts.next();
        discoverd = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", DISCOVERD_JAR.toString(),
                "--server.port=" + port, "--pier.cluster-key=" + RunningAgent.KEY,
                "--pier.discoverd.etcd-endpoints=" + etcdEndpoints,
                "--pier.discoverd.key-prefix=/test-" + UUID.randomUUID().toString().substring(0, 8),
                "--logging.level.root=WARN")).redirectErrorStream(true)
                .redirectOutput(logs.resolve("discoverd.log").toFile()).start();
        String url = "http://127.0.0.1:" + port;
        DiscoverdClient client = new DiscoverdClient(URI.create(url), RunningAgent.KEY);
        closing.add(client);
        await().atMost(START_UP).ignoreExceptions().until(() -> client.services() != null);
        agent = RunningAgent.start(RunningAgent.newHostId(), Map.of("pier.host-agent.discoverd-url", url,
                "pier.host-agent.discoverd-ttl", "2s"));
        return client;
    }

    @Test
    void anAgentWhoseDiscoverdUrlIsEmptyStartsAndRefusesEveryFencedChange() {
        // bin/pier-dev's class-data training run starts the agent so (PIER_HOST_AGENT_DISCOVERD_URL= overrides the
        // service's URL): it must start, and without a discoverd it can confirm no leader
        agent = RunningAgent.start(RunningAgent.newHostId(), Map.of("pier.host-agent.discoverd-url", ""));
        String id = "job-" + UUID.randomUUID().toString().substring(0, 8);
        Fence someone = new Fence(SERVICE, "scheduler-a", 7);
        PierApiException start = catchThrowableOfType(() -> agent.client().start(worker(id), someone),
                PierApiException.class);
        assertThat(start.status()).isEqualTo(503);
        assertThat(start.detail()).contains("this host agent has no discoverd (pier.host-agent.discoverd-url)");
        assertNoJob(agent.client(), id);
    }

    /** One campaign (no heartbeat after it) with a lease of {@code ttlSeconds}; who leads after it. */
    private static Instance campaign(DiscoverdClient discoverd, String id, int ttlSeconds) {
        return discoverd.campaignOnce(SERVICE, new Candidacy(id, "127.0.0.1:8330", Map.of(), ttlSeconds)).leader();
    }

    /**
     * Renews {@code id}'s candidacy every second until closed, as a live scheduler does (CI once ran this test so
     * loaded that a lease of 3 s, never renewed, lapsed before the job it was to guard was up). Closing it is the
     * leader hanging: it still believes it leads while its lease runs out.
     */
    private AutoCloseable heartbeat(DiscoverdClient discoverd, String id, int ttlSeconds) {
        java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        timer.scheduleWithFixedDelay(() -> {
            try {
                campaign(discoverd, id, ttlSeconds);
            } catch (RuntimeException e) {
                // the next beat tries again
            }
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        AutoCloseable stop = () -> {
            timer.shutdownNow();
            timer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        };
        closing.add(stop);
        return stop;
    }

    /** The first candidate campaigns and leads: its fence. */
    private static Fence leadAs(DiscoverdClient discoverd, String id, int ttlSeconds) {
        Instance leader = campaign(discoverd, id, ttlSeconds);
        assertThat(leader.id()).as("the first candidate leads").isEqualTo(id);
        return Fence.of(SERVICE, leader);
    }

    private static JobSpec worker(String id) {
        return JobSpec.of(id, "shop", "worker", DockerEngine.testImage(),
                List.of("sh", "-c", "while true; do sleep 1; done")).withMemoryMb(16);
    }

    private static HostJob awaitState(HostAgentClient host, String id, JobState state) {
        return await().atMost(WAIT).until(() -> host.job(id), job -> job.state() == state);
    }

    private static void assertNoJob(HostAgentClient host, String id) {
        assertThat(catchThrowableOfType(() -> host.job(id), PierApiException.class).isNotFound())
                .as("the host has no job " + id).isTrue();
        assertThat(containers(id, true)).as("no container of " + id).isZero();
    }

    private static int runningContainers(String jobId) {
        return containers(jobId, false);
    }

    private static int containers(String jobId, boolean all) {
        List<String> command = new ArrayList<>(List.of("docker", "ps", "-q", "--filter", "label=pier.job=" + jobId));
        if (all) {
            command.add("-a");
        }
        return (int) Command.check(Duration.ofSeconds(30), command).lines().filter(l -> !l.isBlank()).count();
    }
}
