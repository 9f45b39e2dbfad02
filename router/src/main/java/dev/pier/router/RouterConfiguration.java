package dev.pier.router;

import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.MetricsAnnouncement;
import dev.pier.api.discoverd.Registration;
import dev.pier.api.router.RoutedService;
import dev.pier.router.admin.AdminServer;
import dev.pier.router.admin.MetricsAnnouncer;
import dev.pier.router.metrics.RouterMetrics;
import dev.pier.router.metrics.RouterMetricsProperties;
import dev.pier.router.proxy.ProxyServer;
import dev.pier.router.source.ControllerRouteSource;
import dev.pier.router.source.DiscoverdInstanceSource;
import dev.pier.router.source.InstanceSource;
import dev.pier.router.source.RouteSource;
import dev.pier.router.source.RouteSync;
import dev.pier.router.table.RoutingTable;
import dev.pier.router.tls.Certificates;
import dev.pier.api.metrics.Meters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires sources → table → proxy and the admin port. */
@Configuration(proxyBeanMethods = false)
public class RouterConfiguration {

    @Bean
    RoutingTable routingTable(RouterProperties props) {
        return new RoutingTable(props.ejectFor().toNanos(), System::nanoTime);
    }

    @Bean
    RouterMetrics routerMetrics(RouterMetricsProperties props) {
        return props.enabled() ? new RouterMetrics() : RouterMetrics.disabled();
    }

    /** The JVM's and the process' figures, and the proxy's own series, for the admin port's {@code /metrics}. */
    @Bean(destroyMethod = "close")
    PrometheusMeterRegistry meterRegistry(RouterMetrics metrics) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(Meters.CONVENTIONS);
        Meters.bindTo(registry);
        registry.getPrometheusRegistry().register(metrics);
        return registry;
    }

    @Bean
    @ConditionalOnMissingBean
    RouteSource routeSource(RouterProperties props) {
        return new ControllerRouteSource(new ControllerClient(props.controllerUrl(), props.clusterKey()));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    DiscoverdClient discoverdClient(RouterProperties props) {
        return new DiscoverdClient(props.discoverdUrl(), props.clusterKey());
    }

    @Bean
    @ConditionalOnMissingBean
    InstanceSource instanceSource(DiscoverdClient discoverd) {
        return new DiscoverdInstanceSource(discoverd);
    }

    @Bean
    Certificates certificates() {
        return new Certificates();
    }

    @Bean(destroyMethod = "close")
    RouteSync routeSync(RouteSource routes, InstanceSource instances, RoutingTable table, Certificates certificates,
            RouterProperties props) {
        RouteSync sync = new RouteSync(routes, instances, table);
        sync.onRoutes(certificates::replace);
        sync.start(props.routePoll());
        return sync;
    }

    @Bean(destroyMethod = "close")
    ProxyServer proxyServer(RouterProperties props, RoutingTable table, RouterMetrics metrics,
            Certificates certificates) {
        return new ProxyServer(props, table, metrics, certificates);
    }

    @Bean(destroyMethod = "close")
    AdminServer adminServer(RouterProperties props, PrometheusMeterRegistry registry, RoutingTable table,
            @Value("${pier.metrics.public:false}") boolean metricsPublic) {
        AdminServer[] bound = new AdminServer[1];
        // the id names the admin port actually bound (0 picks a free one), so it is made once the server listens
        bound[0] = new AdminServer(props.bindAddress(), props.adminPort(), registry, table,
                () -> props.routerId(bound[0].port()), props.clusterKey(), metricsPublic);
        return bound[0];
    }

    /**
     * This router in discoverd's {@code pier-router}, at its admin address, so that deployments can ask every
     * router what it routes; deregistered when the router stops. Retries by itself while discoverd is down.
     */
    @Bean(destroyMethod = "close")
    Registration routerRegistration(DiscoverdClient discoverd, AdminServer admin, RouterProperties props) {
        return discoverd.register(RoutedService.ROUTER_SERVICE, props.routerId(admin.port()),
                props.adminHost() + ":" + admin.port(), Map.of("proxy_port", Integer.toString(props.port())));
    }

    /** With {@code pier.metrics.discoverd-url} set, the admin port's {@code /metrics} is announced in discoverd. */
    @Bean(destroyMethod = "close")
    MetricsAnnouncer metricsAnnouncer(RouterProperties props, AdminServer admin,
            @Value("${pier.metrics.discoverd-url:}") String discoverdUrl,
            @Value("${pier.metrics.advertised-address:}") String advertised) {
        return new MetricsAnnouncer(discoverdUrl, props.clusterKey(),
                MetricsAnnouncement.address(advertised, props.bindAddress(), admin.port()));
    }
}
