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
    private static final Path DISCOVERD_JAR = Path.of("..", "discoverd", "target", "pier-discoverd-exec.jar");

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
        return startAgent(discoverd, "--pier.host-agent.discoverd-ttl=2s");
    }

    private Agent startAgent(String discoverd, String... leases) throws IOException {
        String hostId = RunningAgent.newHostId();
        hostIds.add(hostId);
        int port = FreePorts.next();
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), HostAgentApplication.class.getName(),
                "--server.port=" + port, "--pier.cluster-key=" + RunningAgent.KEY,
                "--pier.host-agent.host-id=" + hostId, "--pier.host-agent.port-range=" + RunningAgent.freeRange(),
                "--pier.host-agent.total-memory-mb=1024", "--pier.host-agent.stop-grace=2s",
                "--pier.host-agent.discoverd-url=" + discoverd,
                "--pier.host-agent.job-address=127.0.0.2",
                "--pier.host-agent.docker-host=" + DockerEngine.host(), "--logging.level.root=WARN",
                "--logging.level.dev.pier=INFO"));
        command.addAll(List.of(leases));
        return new Agent(hostId, port, launch(hostId, command));
    }

    /** etcd and discoverd (its jar, as a process); discoverd's URL. */
    private String startDiscoverd() throws IOException {
        Requirements.require(Files.isRegularFile(DISCOVERD_JAR), "the discoverd jar (" + DISCOVERD_JAR
                + ", built by mvn package)");
        etcd = EtcdServer.start();
        logs = Files.createTempDirectory("pier-cluster-test-");
        int discoverdPort = FreePorts.next();
        launch("discoverd", List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                DISCOVERD_JAR.toString(), "--server.port=" + discoverdPort, "--pier.cluster-key=" + RunningAgent.KEY,
                "--pier.discoverd.etcd-endpoints=" + etcd.endpoint(),
                "--pier.discoverd.key-prefix=/test-" + UUID.randomUUID().toString().substring(0, 8),
                "--logging.level.root=WARN"));
        return "http://127.0.0.1:" + discoverdPort;
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
        String image = DockerEngine.testImage();
        String discoverd = startDiscoverd();
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

    /**
     * Issue #19: a host's own registration and its candidacy for the host leadership have a lease of their own
     * ({@code host-ttl}), shorter than its jobs' ({@code discoverd-ttl}), so a machine that died is unlisted sooner,
     * and the host leader probes it and declares it lost that much sooner (or, when the host leader itself died with
     * its machine, another agent leads that much sooner), while its jobs stay routed as long as before. Read from etcd
     * itself: the TTL granted to the lease of each key (3 s and 20 s here; etcd grants no lease under 2 s by
     * default). When the agent dies, a leader's {@code watchHosts} hears its host leave while its job is still
     * listed.
     */
    @Test
    void aHostsRegistrationHasItsOwnShorterLeaseAndItsJobsKeepTheirs() throws Exception {
        String image = DockerEngine.testImage();
        String discoverd = startDiscoverd();
        Agent agent = startAgent(discoverd, "--pier.host-agent.discoverd-ttl=20s", "--pier.host-agent.host-ttl=3s");
        DiscoverdClient discoverdClient = new DiscoverdClient(URI.create(discoverd), RunningAgent.KEY);
        await().atMost(START_UP).ignoreExceptions().until(() -> discoverdClient.instances("pier-host").size() == 1);
        String web = "web-" + UUID.randomUUID().toString().substring(0, 8);
        agent.client().start(HostAgentApiTest.web(web, image, "lease"));
        await().atMost(WAIT).ignoreExceptions().until(() -> discoverdClient.instances("shop-web").size() == 1);

        assertThat(grantedTtl("/services/pier-host/instances/" + agent.hostId())).isEqualTo(3);
        await().atMost(WAIT).ignoreExceptions()
                .until(() -> agent.hostId().equals(discoverdClient.leader("pier-host-leader").leader().id()));
        assertThat(grantedTtl("/services/pier-host-leader/candidates/" + agent.hostId()))
                .as("the host leadership's lease").isEqualTo(3);
        assertThat(grantedTtl("/services/shop-web/instances/" + web)).isEqualTo(20);

        // the agent dies: a leader's watch hears its host leave once the host's lease lapses, its job still listed
        java.util.concurrent.CountDownLatch left = new java.util.concurrent.CountDownLatch(1);
        dev.pier.hostagent.discovery.DiscoverdDiscovery leaders = new dev.pier.hostagent.discovery.DiscoverdDiscovery(
                URI.create(discoverd), RunningAgent.KEY, Duration.ofSeconds(20), Duration.ofSeconds(3));
        try (java.io.Closeable watch = leaders.watchHosts(left::countDown)) {
            await().atMost(WAIT).until(() -> discoverdClient.instances("pier-host").size() == 1); // the watch's snapshot
            agent.process().destroyForcibly().waitFor();
            await().atMost(WAIT).until(() -> left.getCount() == 0);
            assertThat(discoverdClient.instances("pier-host")).isEmpty();
            assertThat(discoverdClient.instances("shop-web")).extracting(Instance::id)
                    .as("the job's registration keeps its own, longer lease").containsExactly(web);
        } finally {
            leaders.close();
            discoverdClient.close();
        }
    }

    /** The TTL etcd granted the lease of the one key that ends with {@code suffix}, through etcd's JSON gateway. */
    private long grantedTtl(String suffix) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.Base64.Encoder base64 = java.util.Base64.getEncoder();
        // every key: from "\0" to the end of the key space
        String range = json.writeValueAsString(Map.of("key", base64.encodeToString(new byte[] {0}),
                "range_end", base64.encodeToString(new byte[] {0})));
        List<String> leases = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode kv : json.readTree(etcdPost("/v3/kv/range", range)).path("kvs")) {
            String key = new String(java.util.Base64.getDecoder().decode(kv.path("key").asText()),
                    java.nio.charset.StandardCharsets.UTF_8);
            if (key.endsWith(suffix)) {
                leases.add(kv.path("lease").asText());
            }
        }
        assertThat(leases).as("the keys ending with " + suffix).hasSize(1);
        return json.readTree(etcdPost("/v3/lease/timetolive", "{\"ID\":\"" + leases.get(0) + "\"}"))
                .path("grantedTTL").asLong();
    }

    private String etcdPost(String path, String body) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(etcd.endpoint() + path))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
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
