package dev.pier.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.testkit.EtcdServer;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.JavaServices;
import dev.pier.testkit.PostgresServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Layer 1 in one JVM, on a real PostgreSQL, etcd and discoverd (its own JVM, from its jar): every service serves its
 * health endpoint with its own properties and beans (only the controller opens a database), a service that cannot
 * start takes the others down with it, and a training run starts nothing and registers nothing.
 */
class PlatformTest {
    private static final String KEY = "platform-test-key";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static EtcdServer etcd;
    private static JavaServices services;
    private static String discoverdUrl;
    private static Path work;

    @BeforeAll
    static void startDependencies() throws Exception {
        etcd = EtcdServer.start();
        services = new JavaServices("pier-platform-test-");
        int discoverdPort = FreePorts.next();
        discoverdUrl = "http://127.0.0.1:" + discoverdPort;
        services.startJar("discoverd", "discoverd", "pier-discoverd-exec.jar", List.of("--server.port=" + discoverdPort,
                "--pier.cluster-key=" + KEY, "--pier.discoverd.etcd-endpoints=" + etcd.endpoint(),
                "--pier.discoverd.key-prefix=/platform-" + UUID.randomUUID().toString().substring(0, 8),
                "--logging.level.root=WARN"));
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
                .until(() -> get(discoverdPort, "/health").statusCode() == 200);
        work = Files.createTempDirectory("pier-platform-test-");
    }

    @AfterAll
    static void stopDependencies() throws Exception {
        if (services != null) {
            services.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    /** The ports of one platform: each service's HTTP port, the router's three, the git receiver's SSH port. */
    private record Ports(Map<Service, Integer> http, int routerProxy, int routerTls, int git) {
        static Ports free() {
            Map<Service, Integer> http = new java.util.EnumMap<>(Service.class);
            for (Service service : Service.values()) {
                http.put(service, FreePorts.next()); // the router's admin port; the git receiver's metrics port
            }
            return new Ports(http, FreePorts.next(), FreePorts.next(), FreePorts.next());
        }

        int of(Service service) {
            return http.get(service);
        }

        List<Integer> all() {
            List<Integer> all = new ArrayList<>(http.values());
            all.addAll(List.of(routerProxy, routerTls, git));
            return all;
        }

        PlatformArguments arguments() {
            String controller = "http://127.0.0.1:" + of(Service.CONTROLLER);
            PostgresServer postgres = PostgresServer.shared();
            List<String> args = new ArrayList<>(List.of(
                    "--pier.cluster-key=" + KEY, "--logging.level.root=WARN", "--logging.level.dev.pier=INFO",
                    "--blobstore.server.port=" + of(Service.BLOBSTORE),
                    "--blobstore.pier.blobstore.data-dir=" + work.resolve("blobs-" + of(Service.BLOBSTORE)),
                    "--controller.server.port=" + of(Service.CONTROLLER),
                    "--controller.spring.datasource.url=" + postgres.newDatabase(),
                    "--controller.spring.datasource.username=" + PostgresServer.USER,
                    "--controller.pier.controller.discoverd-url=" + discoverdUrl,
                    "--scheduler.server.port=" + of(Service.SCHEDULER),
                    "--scheduler.pier.scheduler.id=scheduler-platform-test",
                    "--scheduler.pier.scheduler.controller-url=" + controller,
                    "--scheduler.pier.scheduler.discoverd-url=" + discoverdUrl,
                    "--router.pier.router.cluster-key=" + KEY,
                    "--router.pier.router.port=" + routerProxy, "--router.pier.router.tls-port=" + routerTls,
                    "--router.pier.router.admin-port=" + of(Service.ROUTER),
                    "--router.pier.router.controller-url=" + controller,
                    "--router.pier.router.discoverd-url=" + discoverdUrl,
                    "--git-receiver.pier.git-receiver.port=" + git,
                    "--git-receiver.pier.git-receiver.metrics.port=" + of(Service.GIT_RECEIVER),
                    "--git-receiver.pier.git-receiver.state-dir=" + work.resolve("git-" + git),
                    "--git-receiver.pier.git-receiver.controller-url=" + controller,
                    "--git-receiver.pier.git-receiver.blobstore-url=http://127.0.0.1:" + of(Service.BLOBSTORE),
                    "--addon-postgres.server.port=" + of(Service.ADDON_POSTGRES),
                    "--addon-postgres.pier.addon-postgres.server-address=127.0.0.1:" + postgres.port(),
                    "--addon-postgres.pier.addon-postgres.server-job-address=127.0.0.1:" + postgres.port(),
                    "--addon-postgres.pier.addon-postgres.superuser=" + PostgresServer.USER,
                    "--addon-postgres.pier.addon-postgres.discoverd-url=" + discoverdUrl,
                    "--addon-redis.server.port=" + of(Service.ADDON_REDIS),
                    "--addon-redis.pier.addon-redis.controller-url=" + controller,
                    "--addon-redis.pier.addon-redis.discoverd-url=" + discoverdUrl,
                    "--addon-redis.pier.addon-redis.image=pier/redis-test:none",
                    "--addon-redis.pier.addon-redis.base-port=" + FreePorts.run(5) + ""));
            return PlatformArguments.parse(args.toArray(String[]::new));
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String sshBanner(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            byte[] banner = new byte[7];
            int read = in.readNBytes(banner, 0, banner.length);
            return new String(banner, 0, read, StandardCharsets.US_ASCII);
        }
    }

    @Test
    void everyServiceServesWithItsOwnPropertiesAndOnlyTheControllerOpensADatabase() throws Exception {
        Ports ports = Ports.free();
        try (Platform platform = Platform.start(ports.arguments())) {
            assertThat(platform.services()).extracting(Platform.Running::service).containsExactly(Service.values());
            for (Service service : List.of(Service.BLOBSTORE, Service.CONTROLLER, Service.SCHEDULER, Service.ROUTER,
                    Service.ADDON_POSTGRES, Service.ADDON_REDIS)) {
                HttpResponse<String> health = get(ports.of(service), "/health");
                assertThat(health.statusCode()).as(service.id() + "'s /health: " + health.body()).isEqualTo(200);
            }
            assertThat(get(ports.of(Service.GIT_RECEIVER), "/metrics").statusCode())
                    .as("the git receiver's metrics port").isEqualTo(200);
            assertThat(sshBanner(ports.git())).as("the git receiver's SSH server").isEqualTo("SSH-2.0");
            assertThat(get(ports.of(Service.CONTROLLER), "/health").body()).contains("\"status\"");

            Map<Service, ConfigurableApplicationContext> contexts = platform.services().stream()
                    .filter(s -> s.context().isPresent())
                    .collect(Collectors.toMap(Platform.Running::service, s -> s.context().orElseThrow()));
            Function<Service, Environment> env = s -> contexts.get(s).getEnvironment();
            assertThat(contexts).hasSize(6);
            assertThat(env.apply(Service.BLOBSTORE).getProperty("spring.application.name")).isEqualTo("pier-blobstore");
            assertThat(env.apply(Service.CONTROLLER).getProperty("spring.application.name"))
                    .isEqualTo("pier-controller");
            assertThat(env.apply(Service.SCHEDULER).getProperty("spring.application.name")).isEqualTo("pier-scheduler");
            assertThat(env.apply(Service.GIT_RECEIVER).getProperty("spring.application.name"))
                    .isEqualTo("pier-git-receiver");
            assertThat(env.apply(Service.ADDON_POSTGRES).getProperty("spring.application.name"))
                    .isEqualTo("pier-addon-postgres");
            assertThat(env.apply(Service.ADDON_REDIS).getProperty("spring.application.name"))
                    .isEqualTo("pier-addon-redis");
            // the controller's file alone says server.shutdown=graceful and names a datasource
            assertThat(env.apply(Service.CONTROLLER).getProperty("server.shutdown")).isEqualTo("graceful");
            assertThat(env.apply(Service.BLOBSTORE).getProperty("server.shutdown")).isNull();
            assertThat(env.apply(Service.SCHEDULER).getProperty("spring.datasource.url")).isNull();
            assertThat(env.apply(Service.BLOBSTORE).getProperty("pier.scheduler.id")).as("a --scheduler. argument")
                    .isNull();
            assertThat(env.apply(Service.ADDON_REDIS).getProperty("pier.cluster-key")).as("a shared argument")
                    .isEqualTo(KEY);
            assertThat(contexts.get(Service.CONTROLLER).getBeanNamesForType(DataSource.class)).isNotEmpty();
            // the git receiver's one registry is its own, as in its own jar, which has no Actuator
            assertThat(contexts.get(Service.GIT_RECEIVER).getBeanNamesForType(MeterRegistry.class))
                    .containsExactly("meterRegistry");
            assertThat(contexts.get(Service.BLOBSTORE).getBeanNamesForType(MeterRegistry.class)).isNotEmpty();
            for (Service service : List.of(Service.BLOBSTORE, Service.SCHEDULER, Service.GIT_RECEIVER,
                    Service.ADDON_POSTGRES, Service.ADDON_REDIS)) {
                assertThat(contexts.get(service).getBeanNamesForType(DataSource.class))
                        .as(service.id() + "'s data sources").isEmpty();
            }
        }
        for (int port : ports.all()) {
            assertThat(listening(port)).as("port " + port + " after the platform stopped").isFalse();
        }
    }

    @Test
    void aServiceThatCannotStartTakesTheOthersDownWithIt() throws Exception {
        Ports ports = Ports.free();
        int taken = ports.of(Service.ADDON_POSTGRES); // the last but one: five have started when it fails
        try (ServerSocket occupied = new ServerSocket(taken, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Platform.start(ports.arguments()))
                    .hasStackTraceContaining(String.valueOf(taken));
        }
        for (int port : ports.all()) {
            assertThat(listening(port)).as("port " + port + ", stopped with the platform").isFalse();
        }
    }

    @Test
    void aTrainingRunRefreshesEveryServiceAndStartsNothing() throws Exception {
        Ports ports = Ports.free();
        AtomicBoolean trained = new AtomicBoolean();
        try (Platform platform = Platform.train(ports.arguments(), () -> trained.set(true))) {
            assertThat(trained).isTrue();
            assertThat(platform.services()).as("nothing left running").isEmpty();
        }
        for (int port : ports.all()) {
            assertThat(listening(port)).as("port " + port + " after the training run").isFalse();
        }
        try (DiscoverdClient discoverd = new DiscoverdClient(URI.create(discoverdUrl), KEY)) {
            assertThat(discoverd.instances("pier-addon-postgres")).as("no provider registered").isEmpty();
            assertThat(discoverd.instances("pier-addon-redis")).as("no provider registered").isEmpty();
        }
    }
}
