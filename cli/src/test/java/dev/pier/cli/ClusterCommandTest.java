package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.cli.config.ConfigStore;
import dev.pier.controller.ControllerApplication;
import dev.pier.controller.cluster.ClusterHosts;
import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.EtcdServer;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.JavaServices;
import dev.pier.testkit.PostgresServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The cluster the CLI's commands that run jobs are tested against, one for every class that extends this one: etcd,
 * discoverd and a host agent on the real Docker engine as their built jars, and the controller in this JVM (one
 * Spring context, as every subclass has the same configuration). It is started by the first class and stopped after
 * the last (JUnit's root context closes it). Commands are driven in process with piped input through {@link #pier}.
 */
@SpringBootTest(classes = ControllerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pier.cluster-key=" + ClusterCommandTest.KEY, "server.address=127.0.0.1",
                "pier.controller.run-memory-mb=64"})
@ExtendWith(ClusterCommandTest.StoppedAfterTheLastClass.class)
abstract class ClusterCommandTest {
    static final String KEY = "cli-cluster-test-key";
    static final Duration START_UP = Duration.ofMinutes(3);
    static final String HOST_ID = "cc" + UUID.randomUUID().toString().substring(0, 6);
    private static final String DATABASE = PostgresServer.shared().newDatabase();
    private static JavaServices services;
    private static EtcdServer etcd;
    private static String discoverdUrl;

    @LocalServerPort
    int port;
    @Autowired
    ClusterHosts hosts;
    @TempDir
    Path home;
    ConfigStore store;

    record Result(int code, String output, String out, String err) {
    }

    /** Piped stdin and captured output: not a terminal. */
    record PipedTerminal(InputStream in, ByteArrayOutputStream captured) implements Terminal {
        PipedTerminal(String input) {
            this(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream());
        }

        @Override
        public OutputStream out() {
            return captured;
        }

        @Override
        public boolean isTerminal() {
            return false;
        }

        @Override
        public Optional<Size> size() {
            return Optional.empty();
        }

        @Override
        public Restore raw() {
            return Restore.NOTHING;
        }

        @Override
        public Restore onResize(Runnable listener) {
            return Restore.NOTHING;
        }
    }

    @DynamicPropertySource
    static synchronized void cluster(DynamicPropertyRegistry registry) throws Exception {
        if (services == null) {
            DockerEngine.require();
            DockerEngine.testImage();
            services = new JavaServices("pier-cli-cluster-");
            etcd = EtcdServer.start();
            int discoverdPort = FreePorts.next();
            discoverdUrl = "http://127.0.0.1:" + discoverdPort;
            services.startJar("discoverd", "discoverd", "pier-discoverd-exec.jar", List.of("--server.port=" + discoverdPort,
                    "--pier.cluster-key=" + KEY, "--pier.discoverd.etcd-endpoints=" + etcd.endpoint(),
                    "--pier.discoverd.key-prefix=/cc-" + UUID.randomUUID().toString().substring(0, 8),
                    "--logging.level.root=WARN"));
            int agentBase = 20000 + (FreePorts.next() % 400) * 100;
            services.startJar(HOST_ID, "host-agent", "pier-host-agent-exec.jar", List.of("--server.port=" + FreePorts.next(),
                    "--pier.cluster-key=" + KEY, "--pier.host-agent.host-id=" + HOST_ID,
                    "--pier.host-agent.port-range=" + agentBase + "-" + (agentBase + 49),
                    "--pier.host-agent.total-memory-mb=1024", "--pier.host-agent.stop-grace=2s",
                    "--pier.host-agent.discoverd-url=" + discoverdUrl, "--pier.host-agent.discoverd-ttl=2s",
                    "--pier.host-agent.docker-host=" + DockerEngine.host(), "--logging.level.root=WARN",
                    "--logging.level.dev.pier=INFO"));
            try (DiscoverdClient discoverd = new DiscoverdClient(URI.create(discoverdUrl), KEY)) {
                await().atMost(START_UP).ignoreExceptions()
                        .until(() -> discoverd.leader("pier-host-leader").leader() != null);
            }
        }
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> PostgresServer.USER);
        registry.add("pier.controller.discoverd-url", () -> discoverdUrl);
    }

    /** Stops the cluster once, when JUnit closes its root context: after the last class that used it. */
    static final class StoppedAfterTheLastClass implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            context.getRoot().getStore(ExtensionContext.Namespace.create(ClusterCommandTest.class))
                    .getOrComputeIfAbsent("cluster", key -> (ExtensionContext.Store.CloseableResource) () -> {
                        synchronized (ClusterCommandTest.class) {
                            if (services != null) {
                                services.close();
                            }
                            DockerEngine.removeContainers("pier.host", HOST_ID);
                            if (etcd != null) {
                                etcd.close();
                            }
                        }
                    });
        }
    }

    /** The CLI signed in to the cluster, once its host is in the host leader's view. */
    @BeforeEach
    void signedInOnceTheHostIsThere() {
        // the host leader is elected before the host has joined its cluster view: a job placed in between finds
        // no host (this failed once in CI)
        await().atMost(START_UP).ignoreExceptions().until(() -> hosts.view("the test").hosts().stream()
                .anyMatch(host -> host.id().equals(HOST_ID) && !host.lost()));
        store = new ConfigStore(home.resolve(".pier/config.json"));
        assertThat(pier(new PipedTerminal(""), "cluster", "add", "local", "http://127.0.0.1:" + port, KEY).code()).isZero();
    }

    ControllerClient controller() {
        return new ControllerClient(URI.create("http://127.0.0.1:" + port), KEY);
    }

    Result pier(PipedTerminal terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Pier.execute(args, store, home, new PrintWriter(out), new PrintWriter(err), terminal);
        return new Result(code, terminal.captured().toString(StandardCharsets.UTF_8), out.toString(), err.toString());
    }
}
