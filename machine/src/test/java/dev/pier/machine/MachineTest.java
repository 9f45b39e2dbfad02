package dev.pier.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.EtcdServer;
import dev.pier.testkit.FreePorts;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;

/**
 * A machine's discoverd and host agent in one JVM, on a real etcd and Docker engine: each reads its own properties
 * and arguments, the host agent joins the cluster through the discoverd beside it and leaves it before that
 * discoverd stops, a half that cannot start takes the other down, and a training run starts nothing.
 */
class MachineTest {
    private static final String KEY = "machine-test-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EtcdServer etcd;

    @BeforeAll
    static void startEtcd() {
        DockerEngine.require();
        etcd = EtcdServer.start();
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private record Ports(int discoverd, int hostAgent, String prefix) {
        static Ports free() {
            return new Ports(FreePorts.next(), FreePorts.next(), "/machine-test-" + Long.toHexString(System.nanoTime()));
        }

        MachineArguments arguments() {
            return MachineArguments.parse(args().toArray(String[]::new));
        }

        /** With a standby scheduler on {@code schedulerPort}, campaigning through this machine's discoverd. */
        MachineArguments withScheduler(int schedulerPort) {
            List<String> args = args();
            args.addAll(List.of("--scheduler.server.port=" + schedulerPort,
                    "--scheduler.pier.scheduler.id=scheduler-machine-test",
                    "--scheduler.pier.scheduler.advertised-address=127.0.0.1:" + schedulerPort,
                    "--scheduler.pier.scheduler.discoverd-url=http://127.0.0.1:" + discoverd,
                    "--scheduler.pier.scheduler.controller-url=http://127.0.0.1:" + FreePorts.next()));
            return MachineArguments.parse(args.toArray(String[]::new));
        }

        private List<String> args() {
            int base = FreePorts.run(50); // the host agent's job ports, none of them handed out to anything else
            List<String> args = new ArrayList<>(List.of(
                    "--pier.cluster-key=" + KEY,
                    "--logging.level.io.etcd=warn", "--logging.level.io.grpc=warn",
                    "--discoverd.server.port=" + discoverd,
                    "--discoverd.pier.discoverd.etcd-endpoints=" + etcd.endpoint(),
                    "--discoverd.pier.discoverd.key-prefix=" + prefix,
                    "--host-agent.server.port=" + hostAgent,
                    "--host-agent.pier.host-agent.host-id=machine-test-1",
                    "--host-agent.pier.host-agent.discoverd-url=http://127.0.0.1:" + discoverd,
                    "--host-agent.pier.host-agent.advertised-url=http://127.0.0.1:" + hostAgent,
                    "--host-agent.pier.host-agent.docker-host=" + DockerEngine.host(),
                    "--host-agent.pier.host-agent.port-range=" + base + "-" + (base + 49),
                    "--host-agent.pier.host-agent.sandboxes.size=0",
                    "--host-agent.pier.host-agent.sandboxes.web-size=0"));
            return args;
        }

        /** The host agent's instance in etcd, as discoverd keeps it ({@code <prefix>/services/pier-host/...}). */
        long hostInstances() throws Exception {
            try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
                ByteSequence key = ByteSequence.from(prefix + "/services/pier-host/instances/", StandardCharsets.UTF_8);
                return client.getKVClient().get(key, GetOption.builder().isPrefix(true).withCountOnly(true).build())
                        .get(10, TimeUnit.SECONDS).getCount();
            }
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void bothServeEachWithItsOwnPropertiesAndTheHostAgentLeavesBeforeDiscoverdStops() throws Exception {
        Ports ports = Ports.free();
        try (Machine machine = Machine.start(ports.arguments())) {
            assertThat(get(ports.discoverd(), "/health").body()).contains("\"etcd\":\"connected\"");
            assertThat(get(ports.hostAgent(), "/health").body()).contains("\"host_id\":\"machine-test-1\"");
            assertThat(get(ports.discoverd(), "/services/pier-host/instances").body())
                    .as("the host agent joined through the discoverd beside it")
                    .contains("\"id\":\"machine-test-1\"", "127.0.0.1:" + ports.hostAgent());

            List<Environment> environments = machine.contexts().stream().map(c -> (Environment) c.getEnvironment())
                    .toList();
            assertThat(environments).hasSize(2);
            Environment discoverd = environments.get(0);
            Environment hostAgent = environments.get(1);
            assertThat(discoverd.getProperty("spring.application.name")).isEqualTo("pier-discoverd");
            assertThat(hostAgent.getProperty("spring.application.name")).isEqualTo("pier-host-agent");
            // pier-host-agent.properties alone says server.shutdown=immediate: neither context read the other's file
            assertThat(hostAgent.getProperty("server.shutdown")).isEqualTo("immediate");
            assertThat(discoverd.getProperty("server.shutdown")).isNull();
            assertThat(discoverd.getProperty("pier.host-agent.host-id")).as("a --host-agent. argument").isNull();
            assertThat(hostAgent.getProperty("pier.cluster-key")).as("a shared argument").isEqualTo(KEY);
            assertThat(ports.hostInstances()).isEqualTo(1);
        }
        // closed the other way round: the host agent deregistered through discoverd, so no lease was left to expire
        assertThat(ports.hostInstances()).as("the host agent's instance, right after the machine stopped").isZero();
        assertThat(listening(ports.discoverd())).isFalse();
        assertThat(listening(ports.hostAgent())).isFalse();
    }

    @Test
    void aHostAgentThatCannotStartTakesDiscoverdDownWithIt() throws Exception {
        Ports ports = Ports.free();
        try (ServerSocket taken = new ServerSocket(ports.hostAgent(), 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Machine.start(ports.arguments()))
                    .hasStackTraceContaining(String.valueOf(ports.hostAgent()));
        }
        assertThat(listening(ports.discoverd())).as("discoverd, stopped with the machine").isFalse();
        try (ServerSocket free = new ServerSocket(ports.discoverd(), 50, InetAddress.getLoopbackAddress())) {
            assertThat(free.isBound()).isTrue();
        }
    }

    @Test
    void aTrainingRunRefreshesBothContextsAndStartsNothing() throws Exception {
        Ports ports = Ports.free();
        AtomicBoolean trained = new AtomicBoolean();
        try (Machine machine = Machine.train(ports.arguments(), () -> trained.set(true))) {
            assertThat(trained).as("the exit point: the host agent's context refreshed").isTrue();
            assertThat(machine.contexts()).hasSize(2).allMatch(c -> c.isActive());
            assertThat(machine.contexts().get(1).containsBean("hostAgentApplication")).isTrue();
            assertThat(listening(ports.discoverd())).as("discoverd's port").isFalse();
            assertThat(listening(ports.hostAgent())).as("the host agent's port").isFalse();
            assertThat(ports.hostInstances()).as("nothing joined the cluster").isZero();
        }
    }

    /** Who leads {@code pier-scheduler}, as the machine's discoverd says (blank: none yet). */
    private static String schedulerLeader(Ports ports) throws Exception {
        HttpResponse<String> leader = get(ports.discoverd(), "/services/pier-scheduler/leader");
        return leader.statusCode() == 200 && leader.body().contains("\"scheduler-machine-test\"")
                ? "scheduler-machine-test" : "";
    }

    @Test
    void aMachineGivenSchedulerArgumentsRunsAStandbySchedulerLastThatCampaignsThroughItsDiscoverd() throws Exception {
        Ports ports = Ports.free();
        int scheduler = FreePorts.next();
        try (Machine machine = Machine.start(ports.withScheduler(scheduler))) {
            assertThat(machine.contexts()).hasSize(3);
            Environment env = (Environment) machine.contexts().get(2).getEnvironment();
            assertThat(env.getProperty("spring.application.name")).isEqualTo("pier-scheduler");
            assertThat(env.getProperty("pier.host-agent.host-id")).as("a --host-agent. argument").isNull();
            // the machine's log keeps one format: the scheduler's file names its own pattern, not applied here
            assertThat(env.getProperty("logging.pattern.console")).isNotBlank();
            assertThat(System.getProperty("CONSOLE_LOG_PATTERN")).as("the pattern the logging system uses")
                    .isNotEqualTo(env.getProperty("logging.pattern.console"));
            assertThat(get(scheduler, "/health").statusCode()).isEqualTo(200);
            assertThat(get(ports.hostAgent(), "/health").statusCode()).isEqualTo(200);
            // alone in the election, it leads
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> schedulerLeader(ports), leader -> !leader.isEmpty());
        }
        assertThat(listening(scheduler)).isFalse();
        assertThat(listening(ports.hostAgent())).isFalse();
    }

    @Test
    void aSchedulerThatCannotStartLeavesTheMachineServingAndStartsOnceItCan() throws Exception {
        Ports ports = Ports.free();
        int scheduler = FreePorts.next();
        ServerSocket taken = new ServerSocket(scheduler, 50, InetAddress.getLoopbackAddress());
        try (Machine machine = Machine.start(ports.withScheduler(scheduler), java.time.Duration.ofMillis(500))) {
            assertThat(machine.contexts()).as("discoverd and the host agent, serving").hasSize(2);
            assertThat(get(ports.hostAgent(), "/health").statusCode()).isEqualTo(200);
            assertThat(get(ports.discoverd(), "/services/pier-host/instances").body()).contains("machine-test-1");
            taken.close();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> machine.contexts().size() == 3);
            assertThat(get(scheduler, "/health").statusCode()).isEqualTo(200);
        } finally {
            taken.close();
        }
        assertThat(listening(scheduler)).isFalse();
    }

    @Test
    void aTrainingRunWithASchedulerRefreshesAllThreeAndStartsNothing() throws Exception {
        Ports ports = Ports.free();
        int scheduler = FreePorts.next();
        AtomicBoolean trained = new AtomicBoolean();
        try (Machine machine = Machine.train(ports.withScheduler(scheduler), () -> trained.set(true))) {
            assertThat(trained).as("the exit point: the scheduler's context refreshed").isTrue();
            assertThat(machine.contexts()).hasSize(3).allMatch(c -> c.isActive());
            assertThat(listening(scheduler)).as("the scheduler's port").isFalse();
            assertThat(listening(ports.hostAgent())).as("the host agent's port").isFalse();
            assertThat(ports.hostInstances()).as("nothing joined the cluster").isZero();
        }
    }
}
