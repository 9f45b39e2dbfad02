package dev.pier.router.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.Route;
import dev.pier.router.table.Backend;
import dev.pier.router.table.RoutingTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** RouteSync with in-memory sources. */
class RouteSyncTest {
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Consumer<List<Backend>>> watches = new ConcurrentHashMap<>();
    private final RoutingTable table = new RoutingTable(1, System::nanoTime);

    private final RouteSource routeSource = new RouteSource() {
        @Override
        public List<Route> routes() {
            return List.copyOf(routes);
        }

        @Override
        public AutoCloseable onChange(Runnable onChange) {
            listeners.add(onChange);
            return () -> listeners.remove(onChange);
        }
    };

    private final InstanceSource instanceSource = (service, onChange) -> {
        watches.put(service, onChange);
        return () -> watches.remove(service);
    };

    private static Route route(String app, String domain) {
        return new Route(UUID.randomUUID(), app, domain, app + "-web", null, null, Instant.now());
    }

    @Test
    void followsRouteChangesAndWatchesEachRoutedService() {
        routes.add(route("shop", "shop.pier.localhost"));
        try (RouteSync sync = new RouteSync(routeSource, instanceSource, table)) {
            sync.start(Duration.ofMinutes(5));
            assertThat(watches).containsOnlyKeys("shop-web");
            watches.get("shop-web").accept(List.of(new Backend("a", "127.0.0.1", 9)));
            assertThat(table.resolve("shop.pier.localhost").backends()).hasSize(1);

            routes.clear();
            routes.add(route("blog", "blog.pier.localhost"));
            listeners.forEach(Runnable::run);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> watches.containsKey("blog-web"));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !watches.containsKey("shop-web"));
            assertThat(table.resolve("shop.pier.localhost").routed()).isFalse();
            assertThat(table.resolve("blog.pier.localhost").app()).isEqualTo("blog");
        }
        assertThat(watches).isEmpty();
    }

    @Test
    void pollsWithoutEvents() {
        try (RouteSync sync = new RouteSync(routeSource, instanceSource, table)) {
            sync.start(Duration.ofMillis(50));
            routes.add(route("shop", "shop.pier.localhost"));
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> table.resolve("shop.pier.localhost").routed());
        }
    }
}
