package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.App;
import dev.pier.api.Event;
import dev.pier.api.EventTypes;
import dev.pier.api.controller.EventSubscription;
import dev.pier.api.http.Json;
import dev.pier.api.http.SseReader;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventStreamTest extends ControllerTestSupport {

    /** Reads a raw SSE stream on a thread, collecting events, until closed. */
    private final class RawStream implements AutoCloseable {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final InputStream in;
        final Thread reader;

        RawStream(String query, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events" + query))
                    .header("Accept", "text/event-stream").header("Authorization", "Bearer " + KEY);
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            in = response.body();
            reader = new Thread(() -> {
                try {
                    new SseReader(in).readAll(sse -> {
                        try {
                            Event event = Json.mapper().readValue(sse.data(), Event.class);
                            assertThat(sse.id()).isEqualTo(Long.toString(event.id()));
                            events.add(event);
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }, () -> { });
                } catch (java.io.IOException closed) {
                    // closed by the test
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public void close() throws Exception {
            in.close();
        }
    }

    @Test
    void followingFromNowDeliversNewEventsInOrder() {
        App app = newApp("follow");
        List<Event> seen = new CopyOnWriteArrayList<>();
        try (EventSubscription subscription = client.followEvents(app.name(), Set.of(), null, seen::add)) {
            client.changeEnv(app.name(), Map.of("A", "1"));
            client.changeEnv(app.name(), Map.of("B", "2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream()
                    .filter(e -> e.objectType().equals(EventTypes.RELEASE)).count() == 2);
            assertThat(seen).extracting(Event::objectType).doesNotContain(EventTypes.APP).as("creation came before");
            assertThat(seen).extracting(Event::app).containsOnly(app.name());
            assertIncreasing(seen);
            assertThat(subscription.lastId()).isEqualTo(seen.get(seen.size() - 1).id());
        }
    }

    @Test
    void resumingFromLastEventIdGivesEveryLaterEventOnce() throws Exception {
        App app = newApp("resume");
        for (int i = 0; i < 5; i++) {
            client.changeEnv(app.name(), Map.of("N", Integer.toString(i)));
        }
        List<Event> history = client.events(app.name(), Set.of(), 0L, 1000);
        long middle = history.get(history.size() / 2).id();
        List<Event> expected = history.stream().filter(e -> e.id() > middle).toList();
        try (RawStream stream = new RawStream("?app=" + app.name(), Long.toString(middle))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events.size() >= expected.size());
            client.changeEnv(app.name(), Map.of("N", "after"));
            List<Event> all = client.events(app.name(), Set.of(), middle, 1000);
            assertThat(all.size()).isGreaterThan(expected.size());
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events.size() >= all.size());
            assertThat(stream.events).isEqualTo(all);
        }
    }

    @Test
    void typeFiltersAndSinceWork() throws Exception {
        App app = newApp("filter");
        client.changeEnv(app.name(), Map.of("A", "1"));
        try (RawStream stream = new RawStream("?app=" + app.name() + "&types=release,app&since=0", null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events.size() == 2);
            assertThat(stream.events).extracting(Event::objectType).containsExactly(EventTypes.APP, EventTypes.RELEASE);
        }
        assertThat(raw("GET", "/events?types=nonsense", null).statusCode()).isEqualTo(400);
    }

    @Test
    void concurrentWritersNeitherLoseNorRepeatEvents() throws Exception {
        List<App> apps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            apps.add(newApp("race"));
        }
        Set<String> names = Set.copyOf(apps.stream().map(App::name).toList());
        long start = client.events(null, Set.of(), null, 1).get(0).id();
        List<Event> seen = Collections.synchronizedList(new ArrayList<>());
        try (EventSubscription subscription = client.followEvents(null, Set.of(EventTypes.RELEASE), start, seen::add)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> writers = new ArrayList<>();
            for (App app : apps) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        client.changeEnv(app.name(), Map.of("I", Integer.toString(i)));
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    seen.stream().filter(e -> names.contains(e.app())).count() >= 60);
            List<Event> ours = seen.stream().filter(e -> names.contains(e.app())).toList();
            assertThat(ours).hasSize(60);
            assertIncreasing(seen);
            List<Event> logged = client.events(null, Set.of(EventTypes.RELEASE), start, 1000).stream()
                    .filter(e -> names.contains(e.app())).toList();
            assertThat(ours).isEqualTo(logged);
        }
    }

    private static void assertIncreasing(List<Event> events) {
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).id()).isGreaterThan(events.get(i - 1).id());
        }
    }
}
