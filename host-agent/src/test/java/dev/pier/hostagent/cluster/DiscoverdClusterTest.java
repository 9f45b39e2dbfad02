package dev.pier.hostagent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.JobState;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.JobSpec;
import dev.pier.api.host.VolumeMount;
import dev.pier.api.http.PierApiException;
import dev.pier.hostagent.HostAgentApplication;
import dev.pier.hostagent.RunningAgent;
import dev.pier.hostagent.job.HostAgentApiTest;
import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.EtcdServer;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.Requirements;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real thing: etcd, discoverd (its jar, as a process) and three host agents, each a process of its own on
 * one machine and one Docker engine. One agent is elected through discoverd and serves the cluster; the leader
 * is killed with SIGKILL (no resignation: its leases expire) and another takes over with the whole view, the
 * dead host marked lost, its volumes kept as last seen. Web jobs appear in discoverd as {@code <app>-web}, a job
 * at a fixed host port as {@code <app>-<type>} with meta {@code job_addr}.
 */
class DiscoverdClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * Four JVMs (discoverd and three agents) starting at once on a loaded two-core machine: a deadline for start-up,
     * not a speed check (it failed twice at 60 s with discoverd not listening yet, while other builds ran).
     */
    private static final Duration START_UP = Duration.ofMinutes(4);
    private static final Path DISCOVERD_JAR = Path.of("..", "discoverd", "target", "pier-discoverd.jar");

    private EtcdServer etcd;
    private final List<Process> processes = new ArrayList<>();
    private final List<String> hostIds = new ArrayList<>();
    private Path logs;

    private record Agent(String hostId, int port, Process process) {
        HostAgentClient client() {
            // as long as the scheduler waits (see RunningAgent.client): a start answers once Docker has started it
            return new HostAgentClient(URI.create("http://127.0.0.1:" + port), RunningAgent.KEY,
                    java.time.Duration.ofSeconds(30));
        }
    }

    @AfterEach
    void cleanUp() throws IOException {
        processes.forEach(Process::destroyForcibly);
        for (Process process : processes) {
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        hostIds.forEach(id -> DockerEngine.removeContainers("pier.host", id));
        hostIds.forEach(id -> DockerEngine.removeVolumes("pier.host", id));
        if (etcd != null) {
            etcd.close();
        }
        if (logs != null) {
            dev.pier.testkit.Command.run(Duration.ofSeconds(30), List.of("rm", "-rf", logs.toString()));
        }
    }

    private Process launch(String name, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile()).start();
        processes.add(process);
        return process;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Agent startAgent(String discoverd) throws IOException {
        String hostId = RunningAgent.newHostId();
        hostIds.add(hostId);
        int port = FreePorts.next();
        Process process = launch(hostId, List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), HostAgentApplication.class.getName(),
                "--server.port=" + port, "--pier.cluster-key=" + RunningAgent.KEY,
                "--pier.host-agent.host-id=" + hostId, "--pier.host-agent.port-range=" + RunningAgent.freeRange(),
                "--pier.host-agent.total-memory-mb=1024", "--pier.host-agent.stop-grace=2s",
                "--pier.host-agent.discoverd-url=" + discoverd, "--pier.host-agent.discoverd-ttl=2s",
                "--pier.host-agent.job-address=127.0.0.2",
                "--pier.host-agent.docker-host=" + DockerEngine.host(), "--logging.level.root=WARN",
                "--logging.level.dev.pier=INFO"));
        return new Agent(hostId, port, process);
    }

    private static Optional<ClusterView> cluster(Agent agent) {
        try {
            return Optional.of(agent.client().cluster());
        } catch (PierApiException e) {
            if (e.status() == 503 || e.status() == 0) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Test
    void threeAgentsElectALeaderThroughDiscoverdAndSurviveItsDeath() throws Exception {
        Requirements.require(Files.isRegularFile(DISCOVERD_JAR), "the discoverd jar (" + DISCOVERD_JAR
                + ", built by mvn package)");
        String image = DockerEngine.testImage();
        etcd = EtcdServer.start();
        logs = Files.createTempDirectory("pier-cluster-test-");
        int discoverdPort = FreePorts.next();
        launch("discoverd", List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                DISCOVERD_JAR.toString(), "--server.port=" + discoverdPort, "--pier.cluster-key=" + RunningAgent.KEY,
                "--pier.discoverd.etcd-endpoints=" + etcd.endpoint(),
                "--pier.discoverd.key-prefix=/test-" + UUID.randomUUID().toString().substring(0, 8),
                "--logging.level.root=WARN"));
        String discoverd = "http://127.0.0.1:" + discoverdPort;
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            agents.add(startAgent(discoverd));
        }
        DiscoverdClient discoverdClient = new DiscoverdClient(URI.create(discoverd), RunningAgent.KEY);
        await().atMost(START_UP).ignoreExceptions().until(() -> discoverdClient.instances("pier-host").size() == 3);

        Map<String, String> jobHost = new HashMap<>();
        Map<String, String> volumeHost = new HashMap<>();
        for (int i = 0; i < agents.size(); i++) {
            Agent agent = agents.get(i);
            String id = "job-" + UUID.randomUUID().toString().substring(0, 8);
            agent.client().start(JobSpec.of(id, "shop", "worker", image,
                    List.of("sh", "-c", "while true; do sleep 1; done")).withMemoryMb(16)
                    .withVolumes(List.of(new VolumeMount("shop.worker." + i, "/data"))));
            jobHost.put(id, agent.hostId());
            volumeHost.put("shop.worker." + i, agent.hostId());
        }
        // a job at a fixed host port is announced as <app>-<type>, with the job address other jobs reach it at
        int fixed = FreePorts.next();
        String server = "db-" + UUID.randomUUID().toString().substring(0, 8);
        agents.get(2).client().start(JobSpec.of(server, "shop", "postgres", image, List.of("sh", "-c",
                "mkdir -p /tmp/www; echo db >/tmp/www/index.html; exec httpd -f -p $PORT -h /tmp/www"))
                .withPort(8000).withMemoryMb(16).withFixedHostPort(fixed));
        jobHost.put(server, agents.get(2).hostId());
        Instance announced = await().atMost(WAIT).ignoreExceptions().until(
                () -> discoverdClient.instances("shop-postgres"), l -> l.size() == 1).get(0);
        assertThat(announced.id()).isEqualTo(server);
        assertThat(announced.address()).isEqualTo("127.0.0.1:" + fixed);
        assertThat(announced.meta()).containsEntry("job_addr", "127.0.0.2:" + fixed);
        String web = "web-" + UUID.randomUUID().toString().substring(0, 8);
        String webAddress = agents.get(1).client().start(HostAgentApiTest.web(web, image, "discovered")).address();
        jobHost.put(web, agents.get(1).hostId());
        await().atMost(WAIT).ignoreExceptions().until(() -> discoverdClient.instances("shop-web").stream()
                .map(Instance::address).toList().equals(List.of(webAddress)));

        Agent leader = await().atMost(WAIT).until(() -> agents.stream().filter(a -> cluster(a).isPresent()).toList(),
                l -> l.size() == 1).get(0);
        await().atMost(WAIT).until(() -> cluster(leader).orElseThrow(), v -> complete(v, jobHost, null));
        assertThat(volumes(cluster(leader).orElseThrow())).as("every host's volumes in the view")
                .isEqualTo(volumeHost);
        for (Agent standby : agents) {
            await().atMost(WAIT).ignoreExceptions().until(() -> standby.client().standbyCluster(),
                    v -> complete(v, jobHost, null));
        }

        leader.process().destroyForcibly().waitFor();
        List<Agent> survivors = agents.stream().filter(a -> a != leader).toList();

        Agent next = await().atMost(WAIT).until(() -> survivors.stream().filter(a -> cluster(a).isPresent()).toList(),
                l -> l.size() == 1).get(0);
        ClusterView after = await().atMost(WAIT).until(() -> cluster(next).orElseThrow(),
                v -> complete(v, jobHost, leader.hostId()));
        assertThat(after.leaderId()).isEqualTo(next.hostId());
        assertThat(volumes(after)).as("the lost host's volumes stay in the view, as last seen").isEqualTo(volumeHost);
        assertThat(discoverdClient.instances("pier-host")).extracting(Instance::id)
                .containsExactlyInAnyOrderElementsOf(survivors.stream().map(Agent::hostId).toList());
        discoverdClient.close();
    }

    /** Each volume of the view and its host. */
    private static Map<String, String> volumes(ClusterView view) {
        return view.hosts().stream().flatMap(h -> h.volumes().stream().map(v -> Map.entry(v.name(), h.id())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Every host present, every job up on its host, and only {@code lostHost} (if any) marked lost. */
    private static boolean complete(ClusterView view, Map<String, String> jobHost, String lostHost) {
        Map<String, String> seen = view.hosts().stream().flatMap(h -> h.jobs().stream()
                        .filter(j -> j.state() == JobState.UP).map(j -> Map.entry(j.id(), h.id())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
        return view.hosts().size() == 3 && seen.equals(jobHost)
                && view.hosts().stream().allMatch(h -> h.lost() == h.id().equals(lostHost));
    }
}
