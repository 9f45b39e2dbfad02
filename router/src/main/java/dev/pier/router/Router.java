package dev.pier.router;

import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.MetricsAnnouncement;
import dev.pier.api.metrics.Meters;
import dev.pier.api.router.RoutedService;
import dev.pier.router.admin.AdminServer;
import dev.pier.router.admin.MetricsAnnouncer;
import dev.pier.router.config.Settings;
import dev.pier.router.metrics.RouterMetrics;
import dev.pier.router.proxy.ProxyServer;
import dev.pier.router.source.ControllerRouteSource;
import dev.pier.router.source.DiscoverdInstanceSource;
import dev.pier.router.source.RouteSync;
import dev.pier.router.table.RoutingTable;
import dev.pier.router.tls.Certificates;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * The router's parts, wired: routes from the controller and instances from discoverd fill the routing table, the
 * proxy serves from it, the admin port answers {@code /health} and {@code /metrics}, and the router is registered in
 * discoverd's {@code pier-router}. Plain constructors, no container: the router is started again within a second or
 * two after it dies (issue #17), and an application context cost most of its start.
 *
 * <p>Settings: {@code pier.router.*} ({@link RouterProperties#from}), {@code pier.router.metrics.enabled}
 * (default true), and the ones every Pier service shares, {@code pier.metrics.public},
 * {@code pier.metrics.discoverd-url} and {@code pier.metrics.advertised-address} (docs/metrics.md).
 */
public final class Router implements AutoCloseable {
    /** The most the proxy waits for discoverd's first lists of the routed services' instances before listening. */
    static final java.time.Duration LISTING_WAIT = java.time.Duration.ofSeconds(3);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final ProxyServer proxy;
    private final AdminServer admin;

    private Router(Settings settings) {
        RouterProperties props = RouterProperties.from(settings);
        boolean perApp = settings.bool("pier.router.metrics.enabled", true);
        boolean metricsPublic = settings.bool("pier.metrics.public", false);
        String metricsDiscoverd = settings.string("pier.metrics.discoverd-url", "");
        String advertised = settings.string("pier.metrics.advertised-address", "");
        try {
            RoutingTable table = new RoutingTable(props.ejectFor().toNanos(), System::nanoTime);
            RouterMetrics metrics = perApp ? new RouterMetrics() : RouterMetrics.disabled();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            started.push(registry::close);
            registry.config().meterFilter(Meters.CONVENTIONS);
            Meters.bindTo(registry);
            registry.getPrometheusRegistry().register(metrics);

            DiscoverdClient discoverd = new DiscoverdClient(props.discoverdUrl(), props.clusterKey());
            started.push(discoverd);
            Certificates certificates = new Certificates();
            DiscoverdInstanceSource instances = new DiscoverdInstanceSource(discoverd);
            started.push(instances);
            RouteSync sync = new RouteSync(
                    new ControllerRouteSource(new ControllerClient(props.controllerUrl(), props.clusterKey())),
                    instances, table);
            started.push(sync);
            sync.onRoutes(certificates::replace);
            sync.start(props.routePoll());
            awaitInstances(instances);

            proxy = new ProxyServer(props, table, metrics, certificates);
            started.push(proxy);
            AdminServer[] bound = new AdminServer[1];
            // the id names the admin port actually bound (0 picks a free one), so it is made once the server listens
            bound[0] = new AdminServer(props.bindAddress(), props.adminPort(), registry, table,
                    () -> props.routerId(bound[0].port()), props.clusterKey(), metricsPublic);
            admin = bound[0];
            started.push(admin);
            // in discoverd's pier-router at the admin address, so that deployments can ask every router what it
            // routes; deregistered when the router stops; retries by itself while discoverd is down
            started.push(discoverd.register(RoutedService.ROUTER_SERVICE, props.routerId(admin.port()),
                    props.adminHost() + ":" + admin.port(), Map.of("proxy_port", Integer.toString(props.port()))));
            started.push(new MetricsAnnouncer(metricsDiscoverd, props.clusterKey(),
                    MetricsAnnouncement.address(advertised, props.bindAddress(), admin.port())));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Listens only once the routed services' instances are known (or after {@link #LISTING_WAIT}): a router started
     * again after it died would otherwise answer its first requests 503, no instance known yet.
     */
    private static void awaitInstances(DiscoverdInstanceSource instances) {
        long start = System.nanoTime();
        boolean all;
        try {
            all = instances.awaitListed(LISTING_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for discoverd's first lists", e);
        }
        System.getLogger(Router.class.getName()).log(all ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                "event=" + (all ? "instances-listed" : "instances-not-listed") + " after_ms="
                        + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Starts the router with these settings; {@link #close} stops it. */
    public static Router start(Settings settings) {
        return new Router(settings);
    }

    public int proxyPort() {
        return proxy.port();
    }

    public int adminPort() {
        return admin.port();
    }

    /** Stops every part, the last started first. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.getLogger(Router.class.getName()).log(System.Logger.Level.WARNING,
                        "event=router-stop-failed error=\"" + e + "\"");
            }
        }
    }
}
