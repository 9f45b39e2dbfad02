package dev.pier.addon.postgres.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pier.addon.postgres.provision.Provisioners;
import dev.pier.addon.kit.ManagedServer;
import dev.pier.addon.kit.ServerApp;
import dev.pier.addon.kit.ServerEndpoint;
import dev.pier.addon.kit.ServerNotReady;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Registration;
import dev.pier.testkit.EtcdServer;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.JavaServices;
import dev.pier.testkit.PostgresServer;
import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the provider counts its server as up, and what it says it waits for otherwise: against a real discoverd
 * (on etcd) where the server's job is announced, and a real PostgreSQL server as the job. The system app's steps
 * are stood in for (their decisions are {@link SystemAppPlanTest}'s).
 */
class ManagedServerTest {
    static final String KEY = "managed-server-test-key";
    static EtcdServer etcd;
    static JavaServices services;
    static DiscoverdClient discoverd;
    static final Provisioners SUPERUSER = new Provisioners(PostgresServer.USER, "");

    /** The system app's steps, answered as a test sets them. */
    static final class StandIn implements ServerApp {
        volatile Optional<String> step = Optional.empty();
        volatile RuntimeException failure;

        @Override
        public String app() {
            return "pier-postgres";
        }

        @Override
        public String type() {
            return "postgres";
        }

        @Override
        public Optional<String> step() {
            if (failure != null) {
                throw failure;
            }
            return step;
        }

        @Override
        public String describeJob() {
            return "job pier-postgres/postgres (h1-abc) to be up (it is starting)";
        }
    }

    StandIn app;
    String service;
    ManagedServer server;

    @BeforeAll
    static void startDiscoverd() throws Exception {
        etcd = EtcdServer.start();
        services = new JavaServices("pier-addon-pg-");
        int port = FreePorts.next();
        services.startJar("discoverd", "discoverd", "pier-discoverd-exec.jar", List.of("--server.port=" + port,
                "--pier.cluster-key=" + KEY, "--pier.discoverd.etcd-endpoints=" + etcd.endpoint(),
                "--logging.level.root=WARN"));
        discoverd = new DiscoverdClient(URI.create("http://127.0.0.1:" + port), KEY);
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> discoverd.services() != null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (discoverd != null) {
            discoverd.close();
        }
        if (services != null) {
            services.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void server() {
        app = new StandIn();
        service = "pgt-" + UUID.randomUUID().toString().substring(0, 8) + "-postgres";
        server = new ManagedServer(app, discoverd, service, address -> {
            try (Connection connection = SUPERUSER.connect(address, "postgres")) {
                connection.createStatement().execute("SELECT 1");
            }
        }, URI.create("http://127.0.0.1:8300"), PostgresServerSpec.SPEC.label());
    }

    String waitingFor() {
        try {
            server.endpoint();
            throw new AssertionError("the server counts as up");
        } catch (ServerNotReady e) {
            return e.getMessage();
        }
    }

    @Test
    void beforeItsFirstLookTheProviderSaysSo() {
        assertThat(waitingFor()).isEqualTo("the provider's first look at its system app (it has just started)");
    }

    @Test
    void withoutAnInstanceItWaitsForWhatTheSystemAppWaitsFor() {
        app.step = Optional.of("the deployment under way of the system app pier-postgres");
        server.tick();
        assertThat(waitingFor()).isEqualTo("the deployment under way of the system app pier-postgres (discoverd "
                + "service " + service + " has no instance with a job_addr yet)");

        app.step = Optional.empty();
        server.tick();
        assertThat(waitingFor()).isEqualTo("job pier-postgres/postgres (h1-abc) to be up (it is starting) (discoverd "
                + "service " + service + " has no instance with a job_addr yet)");

        app.failure = new IllegalStateException("connection refused");
        server.tick();
        assertThat(waitingFor()).startsWith("the controller at http://127.0.0.1:8300 to manage the system app "
                + "pier-postgres (connection refused)");
    }

    @Test
    void anAnnouncedServerThatAcceptsTheSuperuserIsUpAtItsJobAddress() throws Exception {
        String address = "127.0.0.1:" + PostgresServer.shared().port();
        try (Registration job = discoverd.register(service, "h1-abc", address, Map.of("job_addr", "172.31.0.1:55432"))) {
            server.tick();
            assertThat(server.endpoint()).isEqualTo(new ServerEndpoint(address, "172.31.0.1:55432"));
            assertThat(server.waitingFor()).isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            server.tick();
            assertThat(server.waitingFor()).as("the job is gone from discoverd").isPresent();
        });
    }

    @Test
    void anAnnouncedServerThatRefusesConnectionsIsNotUp() {
        int nobody = FreePorts.next();
        try (Registration job = discoverd.register(service, "h1-abc", "127.0.0.1:" + nobody,
                Map.of("job_addr", "172.31.0.1:55432"))) {
            server.tick();
            assertThat(waitingFor()).startsWith("the PostgreSQL server at 127.0.0.1:" + nobody + " (job "
                    + "pier-postgres/postgres) to accept connections: ").contains("refused");
        }
    }

    @Test
    void anInstanceWithoutAJobAddressIsNotTheServer() {
        try (Registration job = discoverd.register(service, "h1-abc", "127.0.0.1:" + PostgresServer.shared().port(),
                Map.of())) {
            server.tick();
            assertThatThrownBy(server::endpoint).isInstanceOf(ServerNotReady.class)
                    .hasMessageEndingWith("(discoverd service " + service + " has no instance with a job_addr yet)");
        }
    }
}
