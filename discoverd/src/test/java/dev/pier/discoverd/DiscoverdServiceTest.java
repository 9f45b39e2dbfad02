package dev.pier.discoverd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pier.api.discoverd.Candidacy;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Election;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.Leadership;
import dev.pier.api.discoverd.NewInstance;
import dev.pier.api.discoverd.Registration;
import dev.pier.api.discoverd.ServiceEvent;
import dev.pier.api.discoverd.Watch;
import dev.pier.api.http.PierApiException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** discoverd against a real etcd: instances, TTLs, watches, elections and bad input. */
class DiscoverdServiceTest {
    private static final Duration TTL = Duration.ofSeconds(2);
    private static RunningDiscoverd discoverd;

    private DiscoverdClient client;
    private String service;

    @BeforeAll
    static void startDiscoverd() {
        discoverd = RunningDiscoverd.start();
    }

    @AfterAll
    static void stopDiscoverd() {
        if (discoverd != null) {
            discoverd.close();
        }
    }

    @BeforeEach
    void newClient(TestInfo test) {
        client = discoverd.client();
        service = "svc-" + test.getTestMethod().orElseThrow().getName().toLowerCase().substring(0, 12) + "-"
                + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void registersListsAndDeregisters() {
        Instance web1 = client.put(service, "web-1", new NewInstance("127.0.0.1:9001", Map.of("app", "blog"), 5));
        Instance web2 = client.put(service, "web-2", new NewInstance("127.0.0.1:9002", null, null));
        assertThat(web1.index()).isLessThan(web2.index());
        assertThat(web1.meta()).containsEntry("app", "blog");

        assertThat(client.instances(service)).extracting(Instance::id).containsExactly("web-1", "web-2");
        assertThat(client.instances(service).get(0).address()).isEqualTo("127.0.0.1:9001");
        assertThat(client.services()).contains(service);

        client.deregister(service, "web-1");
        assertThat(client.instances(service)).extracting(Instance::id).containsExactly("web-2");
        client.deregister(service, "web-1"); // idempotent
        client.deregister(service, "web-2");
        assertThat(client.instances(service)).isEmpty();
        assertThat(client.services()).doesNotContain(service);
    }

    @Test
    void anInstanceWhoseOwnerStopsHeartbeatingExpiresWhileAHeartbeatingOneStays() {
        client.put(service, "dies", new NewInstance("127.0.0.1:9001", Map.of(), (int) TTL.toSeconds()));
        Registration lives = client.register(service, "lives", "127.0.0.1:9002", Map.of(), TTL);
        assertThat(lives.isRegistered()).isTrue();
        assertThat(client.instances(service)).extracting(Instance::id).containsExactlyInAnyOrder("dies", "lives");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.instances(service).stream().map(Instance::id).toList(), ids -> ids.equals(List.of("lives")));
        // the heartbeating one outlives several TTLs
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> client.instances(service).size() == 1 && lives.isRegistered());

        // an owner that comes back after its lease expired is registered afresh by its next heartbeat
        Instance back = client.put(service, "dies", new NewInstance("127.0.0.1:9001", Map.of(), (int) TTL.toSeconds()));
        assertThat(client.instances(service)).extracting(Instance::id).containsExactly("lives", "dies");
        assertThat(back.index()).isGreaterThan(lives.instance().orElseThrow().index());
        client.deregister(service, "dies");

        lives.close();
        assertThat(lives.isRegistered()).isFalse();
        assertThat(client.instances(service)).isEmpty();
    }

    @Test
    void aWatchGetsTheSnapshotThenEveryEventWithoutGapsOrDuplicates() throws Exception {
        client.put(service, "a", new NewInstance("127.0.0.1:9001", Map.of(), 10));
        client.put(service, "b", new NewInstance("127.0.0.1:9002", Map.of(), 10));
        List<ServiceEvent> events = new CopyOnWriteArrayList<>();

        // registrations race with the watch's start: whatever lands before the snapshot must be in it, the rest
        // must arrive as events, each exactly once
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 40; i++) {
                client.put(service, "race-" + i, new NewInstance("127.0.0.1:" + (10000 + i), Map.of(), 10));
                written.incrementAndGet();
            }
        });
        writer.start();
        try (Watch watch = client.watch(service, events::add)) {
            writer.join(30_000);
            assertThat(written.get()).isEqualTo(40);
            client.put(service, "a", new NewInstance("127.0.0.1:9001", Map.of("version", "2"), 10));
            client.deregister(service, "b");

            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                    .anyMatch(e -> e.kind() == ServiceEvent.Kind.DOWN && e.instance().id().equals("b")));

            assertThat(events.get(0).kind()).isEqualTo(ServiceEvent.Kind.CURRENT);
            Map<String, Instance> view = new HashMap<>();
            events.get(0).instances().forEach(i -> view.put(i.id(), i));
            long last = events.get(0).revision();
            for (ServiceEvent event : events.subList(1, events.size())) {
                assertThat(event.revision()).as("revisions increase").isGreaterThan(last);
                last = event.revision();
                switch (event.kind()) {
                    case UP -> assertThat(view.put(event.instance().id(), event.instance()))
                            .as("up for an instance already known: " + event).isNull();
                    case UPDATE -> assertThat(view.put(event.instance().id(), event.instance())).isNotNull();
                    case DOWN -> assertThat(view.remove(event.instance().id())).isNotNull();
                    default -> throw new AssertionError("unexpected " + event);
                }
            }
            List<String> expected = new ArrayList<>();
            expected.add("a");
            for (int i = 0; i < 40; i++) {
                expected.add("race-" + i);
            }
            assertThat(view.keySet()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(view.get("a").meta()).containsEntry("version", "2");
            assertThat(watch.instances()).extracting(Instance::id).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(events.get(events.size() - 2).kind()).isEqualTo(ServiceEvent.Kind.UPDATE);
        }
    }

    @Test
    void theLeaderFailsOverWhenItsOwnerDiesAndHandsOverWhenItResigns() {
        List<ServiceEvent> events = new CopyOnWriteArrayList<>();
        try (Watch watch = client.watch(service, events::add)) {
            await().atMost(Duration.ofSeconds(5)).until(watch::isConnected);

            // "first" campaigns without a heartbeating handle, so its owner can die: it just stops renewing
            // (a TTL of 3 s leaves room for the next few calls on a busy machine before it expires)
            Leadership first = client.campaignOnce(service, new Candidacy("first", "127.0.0.1:9001", Map.of(), 3));
            assertThat(first.isLeader("first")).isTrue();

            List<String> heard = new CopyOnWriteArrayList<>();
            Election second = client.campaign(service, "second", "127.0.0.1:9002", Map.of(), TTL,
                    listener("second", heard));
            Election third = client.campaign(service, "third", "127.0.0.1:9003", Map.of(), TTL,
                    listener("third", heard));
            assertThat(second.isLeader()).isFalse();
            assertThat(client.leader(service).leader().id()).isEqualTo("first");

            // first's owner dies: second leads once first's lease expires
            await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("second elected"));
            assertThat(second.isLeader()).isTrue();
            assertThat(heard).containsExactly("second elected");
            assertThat(third.isLeader()).isFalse();
            assertThat(client.leader(service).leader().id()).isEqualTo("second");
            await().atMost(Duration.ofSeconds(5)).until(() -> watch.leader().map(Instance::id).orElse(""),
                    "second"::equals);

            // second resigns: third takes over at once
            second.close();
            assertThat(heard).startsWith("second elected", "second deposed");
            assertThat(client.leader(service).leader().id()).isEqualTo("third");
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains("third elected"));
            assertThat(third.isLeader()).isTrue();
            assertThat(heard).containsExactly("second elected", "second deposed", "third elected");
            await().atMost(Duration.ofSeconds(5)).until(() -> watch.leader().map(Instance::id).orElse(""),
                    "third"::equals);
            third.close();
            assertThat(client.leader(service).leader()).isNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> watch.leader().isEmpty());

            List<String> leaders = events.stream().filter(e -> e.kind() == ServiceEvent.Kind.LEADER)
                    .map(e -> e.leader() == null ? "none" : e.leader().id()).toList();
            assertThat(leaders).containsExactly("first", "second", "third", "none");
        }
    }

    private static Election.Listener listener(String name, List<String> heard) {
        return new Election.Listener() {
            @Override
            public void elected(Instance self) {
                heard.add(name + " elected");
            }

            @Override
            public void deposed() {
                heard.add(name + " deposed");
            }
        };
    }

    @Test
    void badInputIsA400ProblemNamingTheField() throws Exception {
        assertProblem(() -> client.instances("Bad_Name"), 400, "service");
        assertProblem(() -> client.put(service, "UPPER", new NewInstance("127.0.0.1:1", null, null)), 400, "id");
        assertProblem(() -> client.put("-x", "a", new NewInstance("127.0.0.1:1", null, null)), 400, "service");
        assertProblem(() -> client.put(service, "a", new NewInstance("no-port", null, null)), 400, "address");
        assertProblem(() -> client.put(service, "a", new NewInstance("h:70000", null, null)), 400, "address");
        assertProblem(() -> client.put(service, "a", new NewInstance(null, null, null)), 400, "address");
        assertProblem(() -> client.put(service, "a", new NewInstance("h:1", null, 0)), 400, "ttl_seconds");
        assertProblem(() -> client.put(service, "a", new NewInstance("h:1", null, 301)), 400, "ttl_seconds");
        assertProblem(() -> client.campaignOnce(service, new Candidacy(null, "h:1", null, null)), 400, "id");
        assertProblem(() -> client.campaignOnce(service, new Candidacy("a/b", "h:1", null, null)), 400, null);
        assertProblem(() -> client.register(service, "Nope", "h:1", Map.of()), 400, "id");
        assertProblem(() -> client.campaign("x".repeat(64), "a", "h:1", Map.of(), TTL, listener("x", List.of())),
                400, "service");
        assertThat(client.instances(service)).isEmpty();

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unknownField = http.send(HttpRequest.newBuilder(
                        URI.create(discoverd.base + "/services/" + service + "/instances/a"))
                .header("Authorization", "Bearer " + RunningDiscoverd.KEY)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"address\":\"h:1\",\"colour\":\"red\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknownField.statusCode()).isEqualTo(400);
        assertThat(unknownField.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(unknownField.body()).contains("colour");

        HttpResponse<String> badWatch = http.send(HttpRequest.newBuilder(
                        URI.create(discoverd.base + "/services/Bad_Name/instances"))
                .header("Authorization", "Bearer " + RunningDiscoverd.KEY)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badWatch.statusCode()).isEqualTo(400);
        assertThat(badWatch.body()).contains("service");
        assertThatThrownBy(() -> client.watch("Bad_Name", event -> { })).isInstanceOf(IllegalArgumentException.class);

        HttpResponse<String> noKey = http.send(HttpRequest.newBuilder(URI.create(discoverd.base + "/services")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(discoverd.base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void aPlainGetIsJsonAndWatchTrueIsAnEventStream() throws Exception {
        client.put(service, "a", new NewInstance("127.0.0.1:9001", Map.of(), 10));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(
                        URI.create(discoverd.base + "/services/" + service + "/instances"))
                .header("Authorization", "Bearer " + RunningDiscoverd.KEY).header("Accept", "*/*").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(plain.body()).contains("\"id\":\"a\"");

        HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(
                        URI.create(discoverd.base + "/services/" + service + "/instances?watch=true"))
                .header("Authorization", "Bearer " + RunningDiscoverd.KEY).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.BufferedReader lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(stream.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            assertThat(lines.readLine()).startsWith("id: ");
            assertThat(lines.readLine()).isEqualTo("event: current");
            assertThat(lines.readLine()).startsWith("data: {\"kind\":\"current\"").contains("\"id\":\"a\"");
            assertThat(lines.readLine()).isEmpty();
            assertThat(lines.readLine()).isEqualTo(": heartbeat");
        }
    }

    private static void assertProblem(Runnable call, int status, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(PierApiException.class, e -> {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
            if (field != null) {
                assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
            }
        });
    }
}
