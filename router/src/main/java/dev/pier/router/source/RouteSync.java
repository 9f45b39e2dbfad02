package dev.pier.router.source;

import dev.pier.api.Route;
import dev.pier.router.table.RouteTarget;
import dev.pier.router.table.RoutingTable;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the routing table in step with the sources: re-reads routes on every change event and every
 * {@code poll}, and keeps one instance watch per routed service.
 */
public final class RouteSync implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RouteSync.class.getName());
    private final RouteSource routes;
    private final InstanceSource instances;
    private final RoutingTable table;
    private final Map<String, AutoCloseable> watches = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "router-route-sync");
        t.setDaemon(true);
        return t;
    });
    private volatile List<Route> current = List.of();
    private volatile Consumer<List<Route>> routeListener = r -> { };
    private AutoCloseable events;

    public RouteSync(RouteSource routes, InstanceSource instances, RoutingTable table) {
        this.routes = routes;
        this.instances = instances;
        this.table = table;
    }

    /** Called with every route list read (e.g. for TLS certificates). */
    public void onRoutes(Consumer<List<Route>> listener) {
        this.routeListener = listener;
    }

    /** Reads once now, then follows changes and polls. */
    public void start(Duration poll) {
        refresh();
        follow();
        timer.scheduleWithFixedDelay(() -> {
            follow();
            refresh();
        }, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Subscribes to route change events, if not yet done (the source may be down at start). */
    private synchronized void follow() {
        if (events != null) {
            return;
        }
        try {
            events = routes.onChange(() -> timer.execute(this::refresh));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=route-events-unavailable error=\"" + e.getMessage() + "\"");
        }
    }

    /** Re-reads the routes and adjusts the instance watches. */
    public synchronized void refresh() {
        List<Route> list;
        try {
            list = routes.routes();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=routes-unavailable error=\"" + e.getMessage() + "\"");
            return;
        }
        Map<String, RouteTarget> map = new HashMap<>();
        for (Route r : list) {
            if (r.domain() != null && r.service() != null) {
                map.put(r.domain(), new RouteTarget(r.app(), r.service()));
            }
        }
        Set<String> services = new HashSet<>();
        map.values().forEach(t -> services.add(t.service()));
        for (String service : services) {
            try {
                watches.computeIfAbsent(service, s -> instances.watch(s, backends -> table.replaceBackends(s, backends)));
            } catch (RuntimeException e) { // e.g. a name discoverd refuses: the other services still get watched
                LOG.log(System.Logger.Level.WARNING, "event=instance-watch-failed service=" + service + " error=\""
                        + e.getMessage() + "\"");
            }
        }
        table.replaceRoutes(map);
        for (String service : Set.copyOf(watches.keySet())) {
            if (!services.contains(service)) {
                closeQuietly(watches.remove(service));
                table.forgetService(service);
            }
        }
        if (!list.equals(current)) {
            LOG.log(System.Logger.Level.INFO, "event=routes-changed routes=" + map.size() + " services="
                    + services.size());
            current = List.copyOf(list);
            routeListener.accept(current);
        }
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        closeQuietly(events);
        watches.values().forEach(RouteSync::closeQuietly);
        watches.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "event=close-failed error=\"" + e.getMessage() + "\"");
        }
    }
}
