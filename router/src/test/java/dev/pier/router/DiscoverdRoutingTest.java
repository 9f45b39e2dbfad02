package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.Route;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.NewInstance;
import dev.pier.api.discoverd.Registration;
import dev.pier.router.metrics.RouterMetrics;
import dev.pier.router.proxy.ProxyServer;
import dev.pier.router.source.DiscoverdInstanceSource;
import dev.pier.router.source.RouteSource;
import dev.pier.router.source.RouteSync;
import dev.pier.router.table.Backend;
import dev.pier.router.table.RoutingTable;
import dev.pier.testkit.Command;
import dev.pier.testkit.EtcdServer;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.JavaServices;
import dev.pier.testkit.Requirements;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The router's instances from a real discoverd (its jar, as a process) over a real etcd, wired as
 * {@link RouterConfiguration} does ({@link DiscoverdClient} → {@link DiscoverdInstanceSource} → {@link RouteSync}
 * → {@link ProxyServer}); routes from a list, as the controller would give them. Upstreams are real HTTP servers,
 * each a process of its own ({@code upstream.py}), so one can be killed with SIGKILL mid-load.
 */
class DiscoverdRoutingTest {
    private static final String KEY = "router-test-key";
    private static final Duration PICKED_UP = Duration.ofSeconds(1);
    private static final Duration HOLD = Duration.ofSeconds(6);
    private static EtcdServer etcd;
    private static JavaServices services;
    private static String discoverdUrl;
    private static List<String> discoverdArgs;
    private static DiscoverdClient registrar;
    private static Path upstreamScript;

    private final String app = "shop" + UUID.randomUUID().toString().substring(0, 6);
    private final String domain = app + ".pier.localhost";
    private final String service = app + "-web";
    private final List<Process> upstreams = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private HttpClient http;
    private RoutingTable table;
    private ProxyServer proxy;

    @BeforeAll
    static void startDiscoverd() throws IOException {
        Requirements.require(Command.which("python3") != null, "python3");
        etcd = EtcdServer.start();
        services = new JavaServices("pier-router-discoverd-");
        int port = FreePorts.next();
        discoverdUrl = "http://127.0.0.1:" + port;
        discoverdArgs = List.of("--server.port=" + port,
                "--pier.cluster-key=" + KEY, "--pier.discoverd.etcd-endpoints=" + etcd.endpoint(),
                "--pier.discoverd.key-prefix=/router-" + UUID.randomUUID().toString().substring(0, 8),
                "--pier.discoverd.watch-heartbeat=1s", "--logging.level.root=WARN");
        services.startJar("discoverd", "discoverd", "pier-discoverd-exec.jar", discoverdArgs);
        registrar = new DiscoverdClient(URI.create(discoverdUrl), KEY, Duration.ofSeconds(5));
        awaitDiscoverd();
        upstreamScript = Files.createTempFile("pier-router-upstream-", ".py");
        try (InputStream in = DiscoverdRoutingTest.class.getResourceAsStream("/upstream.py")) {
            Files.write(upstreamScript, in.readAllBytes());
        }
    }

    private static void awaitDiscoverd() {
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
                .untilAsserted(() -> assertThat(registrar.services()).isNotNull());
    }

    @AfterAll
    static void stopDiscoverd() throws Exception {
        if (registrar != null) {
            registrar.close();
        }
        if (services != null) {
            services.close();
        }
        if (etcd != null) {
            etcd.close();
        }
        if (upstreamScript != null) {
            Files.deleteIfExists(upstreamScript);
        }
    }

    @BeforeEach
    void startRouter() {
        table = new RoutingTable(Duration.ofSeconds(5).toNanos(), System::nanoTime);
        Route route = new Route(UUID.randomUUID(), app, domain, service, null, null, Instant.now());
        RouteSource routes = new RouteSource() {
            @Override
            public List<Route> routes() {
                return List.of(route);
            }

            @Override
            public AutoCloseable onChange(Runnable onChange) {
                return () -> { };
            }
        };
        DiscoverdClient discoverd = new DiscoverdClient(URI.create(discoverdUrl), KEY);
        DiscoverdInstanceSource instances = new DiscoverdInstanceSource(discoverd, HOLD);
        RouteSync sync = new RouteSync(routes, instances, table);
        sync.start(Duration.ofSeconds(5));
        proxy = new ProxyServer(new RouterProperties("127.0.0.1", 0, 0, 0, "pier.localhost", URI.create("http://127.0.0.1:1"),
                URI.create(discoverdUrl), KEY, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(5), 16384, 8192, 64, 2),
                table, new RouterMetrics());
        closing.add(discoverd);
        closing.add(instances);
        closing.add(sync);
        closing.add(proxy);
        ConnectionProvider clientPool = ConnectionProvider.create("router-test-client", 16);
        closing.add(() -> clientPool.disposeLater().block(Duration.ofSeconds(10)));
        http = HttpClient.create(clientPool).baseUrl("http://127.0.0.1:" + proxy.port())
                .headers(h -> h.set("Host", domain)).responseTimeout(Duration.ofSeconds(20));
    }

    @AfterEach
    void stopRouter() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        for (Process p : upstreams) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code upstream.py name} and returns its port. */
    private Process upstream(String name, int[] port) throws IOException {
        Process p = new ProcessBuilder("python3", upstreamScript.toString(), name)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        upstreams.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        port[0] = Integer.parseInt(out.readLine().trim());
        return p;
    }

    private record Answer(int status, String body) {
    }

    private Answer get(String path) {
        return http.get().uri(path).responseSingle((res, body) -> body.asString().defaultIfEmpty("")
                .map(text -> new Answer(res.status().code(), text))).block(Duration.ofSeconds(30));
    }

    private List<String> backendIds() {
        return table.resolve(domain).backends().stream().map(Backend::id).sorted().toList();
    }

    @Test
    void instancesAreRoutedWithinASecondOfRegistrationAndDroppedWithinASecondOfGoingDown() throws Exception {
        int[] p1 = new int[1];
        int[] p2 = new int[1];
        upstream("web.1", p1);
        upstream("web.2", p2);
        await().atMost(Duration.ofSeconds(10)).until(() -> table.routedServices().contains(service));
        assertThat(get("/").status()).isEqualTo(503); // routed, nothing registered yet

        Registration one = registrar.register(service, "web.1", "127.0.0.1:" + p1[0], Map.of());
        await().atMost(PICKED_UP).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> get("/a").body().equals("web.1 /a"));

        Registration two = registrar.register(service, "web.2", "127.0.0.1:" + p2[0], Map.of());
        await().atMost(PICKED_UP).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> get("/b").body().equals("web.2 /b"));

        one.close(); // deregisters at once; web.1's server keeps running, so a request sent there would be answered
        await().atMost(PICKED_UP).pollInterval(Duration.ofMillis(10)).until(() -> backendIds().equals(List.of("web.2")));
        for (int i = 0; i < 20; i++) {
            assertThat(get("/c").body()).isEqualTo("web.2 /c");
        }

        // an instance that stops heartbeating (its owner died without deregistering) goes down when its lease ends
        registrar.put(service, "web.1", new NewInstance("127.0.0.1:" + p1[0], Map.of(), 2));
        await().atMost(PICKED_UP).pollInterval(Duration.ofMillis(20))
                .until(() -> backendIds().equals(List.of("web.1", "web.2")));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> backendIds().equals(List.of("web.2")));
        two.close();
        await().atMost(PICKED_UP).pollInterval(Duration.ofMillis(10)).until(() -> backendIds().isEmpty());
        assertThat(get("/d").status()).isEqualTo(503);
    }

    /**
     * A router started again after it died waits for discoverd's first lists before it listens (issue #17): the
     * moment {@code awaitListed} returns, the instances already registered are in the table, so its first request is
     * not a 503.
     */
    @Test
    void aNewSourceKnowsTheRegisteredInstancesWhenAwaitListedReturns() throws Exception {
        int[] p1 = new int[1];
        upstream("web.1", p1);
        String other = "listed-" + UUID.randomUUID().toString().substring(0, 8);
        try (Registration one = registrar.register(other, "web.1", "127.0.0.1:" + p1[0], Map.of());
                DiscoverdClient client = new DiscoverdClient(URI.create(discoverdUrl), KEY);
                DiscoverdInstanceSource fresh = new DiscoverdInstanceSource(client, HOLD)) {
            await().atMost(PICKED_UP).until(() -> client.instances(other).size() == 1);
            List<List<Backend>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (AutoCloseable watch = fresh.watch(other, seen::add)) {
                assertThat(fresh.awaitListed(Duration.ofSeconds(10))).isTrue();
                assertThat(seen.get(seen.size() - 1)).extracting(Backend::id).containsExactly("web.1");
            }
            assertThat(fresh.awaitListed(Duration.ZERO)).as("nothing to wait for once closed").isTrue();
        }
    }

    @Test
    void anInstanceDownInDiscoverdGetsNoRequestEvenUnderLoad() throws Exception {
        int[] p1 = new int[1];
        int[] p2 = new int[1];
        upstream("web.1", p1);
        upstream("web.2", p2);
        Registration one = registrar.register(service, "web.1", "127.0.0.1:" + p1[0], Map.of());
        Registration two = registrar.register(service, "web.2", "127.0.0.1:" + p2[0], Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> backendIds().equals(List.of("web.1", "web.2")));

        // a bounded load loop (at most 600 requests, at most 60 s) while web.1 is deregistered; web.1's server
        // stays up, so any request the router still sent it would show in its answers
        Map<String, AtomicInteger> after = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long[] goneAt = {Long.MAX_VALUE};
        ExecutorService load = Executors.newFixedThreadPool(4);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            workers.add(load.submit(() -> {
                while (done.get() < 600 && System.nanoTime() < deadline) {
                    long sentAt = System.nanoTime();
                    try {
                        Answer a = get("/load");
                        if (a.status() != 200) {
                            failed.incrementAndGet();
                        } else if (sentAt > goneAt[0]) {
                            after.computeIfAbsent(a.body().split(" ")[0], k -> new AtomicInteger()).incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= 100);
        one.close();
        await().atMost(PICKED_UP).pollInterval(Duration.ofMillis(5)).until(() -> backendIds().equals(List.of("web.2")));
        goneAt[0] = System.nanoTime();
        for (Future<?> f : workers) {
            f.get(90, TimeUnit.SECONDS);
        }
        load.shutdownNow();
        assertThat(failed.get()).isZero();
        assertThat(after).containsOnlyKeys("web.2");
        assertThat(after.get("web.2").get()).isPositive();
        two.close();
    }

    @Test
    void whenOneOfTwoUpstreamsIsKilledMidLoadNoIdempotentRequestFails() throws Exception {
        int[] p1 = new int[1];
        int[] p2 = new int[1];
        Process victim = upstream("web.1", p1);
        upstream("web.2", p2);
        Registration one = registrar.register(service, "web.1", "127.0.0.1:" + p1[0], Map.of());
        Registration two = registrar.register(service, "web.2", "127.0.0.1:" + p2[0], Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> backendIds().equals(List.of("web.1", "web.2")));

        Map<String, AtomicInteger> answeredBy = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService load = Executors.newFixedThreadPool(6);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            workers.add(load.submit(() -> {
                while (done.get() < 800 && System.nanoTime() < deadline) {
                    try {
                        Answer a = get("/load");
                        if (a.status() == 200) {
                            answeredBy.computeIfAbsent(a.body().split(" ")[0], k -> new AtomicInteger())
                                    .incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            failures.add(a.status() + " " + a.body());
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        failures.add(e.toString());
                    }
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= 200);
        assertThat(answeredBy).containsKeys("web.1", "web.2");
        victim.destroyForcibly(); // SIGKILL, mid-load; discoverd still lists it (its registration heartbeats on)
        victim.waitFor(10, TimeUnit.SECONDS);
        int web2Before = answeredBy.get("web.2").get();
        for (Future<?> f : workers) {
            f.get(90, TimeUnit.SECONDS);
        }
        load.shutdownNow();
        assertThat(failures).isEmpty();
        assertThat(failed.get()).isZero();
        assertThat(done.get()).isGreaterThanOrEqualTo(800);
        assertThat(answeredBy.get("web.2").get()).isGreaterThan(web2Before);
        one.close();
        two.close();
    }
    /**
     * Regression (#17): discoverd killed for longer than the instances' leases, then started again, answered the
     * router's reconnecting watch with a list that lacked every instance whose owner had not heartbeated again yet,
     * and the router dropped them and answered 503 until the owners did. It now keeps routing them for a while
     * ({@link DiscoverdInstanceSource#HOLD_AFTER_RECONNECT}; {@code HOLD} here), drops at once the ones discoverd
     * lists again, and the ones that never come back when their hold ends.
     */
    @Test
    void aRestartedDiscoverdThatListsNoInstanceYetLeavesTheRouterRoutingTheInstancesItKnew() throws Exception {
        int[] p1 = new int[1];
        int[] p2 = new int[1];
        int[] p3 = new int[1];
        upstream("web.1", p1);
        upstream("web.2", p2);
        upstream("web.3", p3);
        registrar.put(service, "web.1", new NewInstance("127.0.0.1:" + p1[0], Map.of(), 60));
        registrar.put(service, "web.2", new NewInstance("127.0.0.1:" + p2[0], Map.of(), 60));
        await().atMost(Duration.ofSeconds(10)).until(() -> backendIds().equals(List.of("web.1", "web.2")));

        // a bounded load loop (every 20 ms, at most 3 min) across the whole outage
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        ExecutorService load = Executors.newSingleThreadExecutor();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Future<?> loading = load.submit(() -> {
            while (!stop.get() && System.nanoTime() < deadline) {
                try {
                    Answer a = get("/held");
                    if (a.status() != 200) {
                        failures.add(Instant.now() + " " + a.status() + " " + a.body());
                    }
                } catch (Exception e) {
                    failures.add(Instant.now() + " " + e);
                }
                done.incrementAndGet();
                Thread.sleep(20);
            }
            return null;
        });
        try {
            services.process("discoverd").destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            // every lease expired while discoverd was away (as after ~30 s down): etcd comes back without them
            etcd.kill();
            etcd.wipe();
            etcd.restart();
            services.startJar("discoverd", "discoverd", "pier-discoverd-exec.jar", discoverdArgs);
            awaitDiscoverd();
            assertThat(registrar.instances(service)).as("discoverd lists none of the app's instances").isEmpty();

            // a third instance registers: once the router routes it, its watch has reconnected
            registrar.put(service, "web.3", new NewInstance("127.0.0.1:" + p3[0], Map.of(), 60));
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> backendIds().contains("web.3"));
            assertThat(backendIds()).as("web.1 and web.2 are held").containsExactly("web.1", "web.2", "web.3");

            // web.1's owner registers again; web.2's never does and is dropped when its hold ends
            registrar.put(service, "web.1", new NewInstance("127.0.0.1:" + p1[0], Map.of(), 60));
            await().atMost(HOLD.plusSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> backendIds().equals(List.of("web.1", "web.3")));
            int before = done.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= before + 20);
        } finally {
            stop.set(true);
            loading.get(60, TimeUnit.SECONDS);
            load.shutdownNow();
            registrar.deregister(service, "web.1");
            registrar.deregister(service, "web.3");
        }
        assertThat(done.get()).isGreaterThan(100);
        assertThat(failures).as("requests answered other than 200").isEmpty();
    }
}
