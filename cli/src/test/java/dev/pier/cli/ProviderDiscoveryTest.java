package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.NewApp;
import dev.pier.api.NewProvider;
import dev.pier.api.NewResource;
import dev.pier.api.Resource;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Registration;
import dev.pier.api.http.PierApiException;
import dev.pier.api.provider.TestProvider;
import dev.pier.controller.ControllerApplication;
import dev.pier.testkit.EtcdServer;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.JavaServices;
import dev.pier.testkit.PostgresServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A provider registered as {@code discoverd+http://SERVICE} is found through the real discoverd (on a real etcd) at
 * each call: the controller in this JVM, discoverd as its built jar, the provider a real HTTP server registered as an
 * instance of its service, as the PostgreSQL provider registers itself.
 */
@SpringBootTest(classes = ControllerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pier.cluster-key=" + ProviderDiscoveryTest.KEY, "server.address=127.0.0.1"})
class ProviderDiscoveryTest {
    static final String KEY = "provider-discovery-test-key";
    private static final String DATABASE = PostgresServer.shared().newDatabase();
    private static JavaServices services;
    private static EtcdServer etcd;
    private static String discoverdUrl;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static synchronized void cluster(DynamicPropertyRegistry registry) throws Exception {
        if (services == null) {
            services = new JavaServices("pier-provider-discovery-");
            etcd = EtcdServer.start();
            int discoverdPort = FreePorts.next();
            discoverdUrl = "http://127.0.0.1:" + discoverdPort;
            services.startJar("discoverd", "discoverd", "pier-discoverd-exec.jar", List.of("--server.port=" + discoverdPort,
                    "--pier.cluster-key=" + KEY, "--pier.discoverd.etcd-endpoints=" + etcd.endpoint(),
                    "--pier.discoverd.key-prefix=/pd-" + UUID.randomUUID().toString().substring(0, 8),
                    "--logging.level.root=WARN"));
            try (DiscoverdClient discoverd = new DiscoverdClient(URI.create(discoverdUrl), KEY)) {
                await().atMost(Duration.ofMinutes(3)).ignoreExceptions().until(() -> discoverd.services() != null);
            }
        }
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> PostgresServer.USER);
        registry.add("pier.controller.discoverd-url", () -> discoverdUrl);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (services != null) {
            services.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void aProviderAtADiscoverdUrlIsFoundAtEachCallAndItsAbsenceIsNamed() throws Exception {
        ControllerClient client = new ControllerClient(URI.create("http://127.0.0.1:" + port), KEY);
        String service = "pier-test-provider-" + UUID.randomUUID().toString().substring(0, 6);
        String name = "pd-" + UUID.randomUUID().toString().substring(0, 6);
        client.createProvider(new NewProvider(name, "discoverd+http://" + service, null));
        String app = client.createApp(NewApp.named("pd-" + UUID.randomUUID().toString().substring(0, 6))).name();

        PierApiException none = org.assertj.core.api.Assertions.catchThrowableOfType(PierApiException.class,
                () -> client.provision(name, NewResource.forApp(app)));
        assertThat(none.status()).isEqualTo(503);
        assertThat(none.getMessage()).isEqualTo("provider '" + name + "' cannot be found to provision a resource: "
                + "no instance of discoverd service " + service + " is up");
        assertThat(client.resources()).isEmpty();

        try (TestProvider provider = new TestProvider(KEY, "REDIS_URL");
             DiscoverdClient discoverd = new DiscoverdClient(URI.create(discoverdUrl), KEY)) {
            String address = provider.url().getHost() + ":" + provider.url().getPort();
            try (Registration registration = discoverd.register(service, "i1", address, Map.of())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> !discoverd.instances(service).isEmpty());
                Resource resource = client.provision(name, NewResource.forApp(app));
                assertThat(provider.held()).containsExactly(resource.externalId());
                assertThat(client.env(app)).containsOnlyKeys("REDIS_URL");
                client.deprovision(resource.id(), true);
                assertThat(provider.held()).isEmpty();
            }
        }
    }
}
