package dev.pier.web.metrics;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Registration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;

/**
 * Announces this service's {@code /metrics} in discoverd (when {@code pier.metrics.discoverd-url} is set): an
 * instance of {@value #SERVICE} with its scrape address and meta {@code service} (the service's name) and
 * {@code path}. Prometheus finds every such instance through discoverd's {@code /prometheus/targets}, and the
 * controller finds the router and host agents it samples the same way. Deregistered when the service stops.
 */
public class MetricsRegistration implements AutoCloseable {
    /** The discoverd service every Pier service's metrics endpoint is an instance of. */
    public static final String SERVICE = "pier-metrics";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsRegistration.class);

    private final PierMetricsProperties properties;
    private final String serviceName;
    private final String clusterKey;
    private final String bindAddress;
    private volatile int port;
    private DiscoverdClient client;
    private Registration registration;

    public MetricsRegistration(PierMetricsProperties properties, String serviceName, String clusterKey,
            String bindAddress) {
        this.properties = properties;
        this.serviceName = serviceName;
        this.clusterKey = clusterKey;
        this.bindAddress = bindAddress;
    }

    @EventListener
    public void serverStarted(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) {
            port = event.getWebServer().getPort();
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void ready() {
        if (properties.discoverdUrl() == null || registration != null || port <= 0) {
            return;
        }
        String address = advertisedAddress(properties.advertisedAddress(), bindAddress, port);
        client = new DiscoverdClient(properties.discoverdUrl(), clusterKey);
        registration = client.register(SERVICE, instanceId(serviceName, address), address,
                Map.of("service", serviceName, "path", "/metrics"));
        LOG.info("event=metrics-announced service={} address={} discoverd={}", serviceName, address,
                properties.discoverdUrl());
    }

    /** {@code host:port} to scrape: the configured one, else the bind address (127.0.0.1 for a wildcard). */
    static String advertisedAddress(String configured, String bindAddress, int port) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        String host = bindAddress == null || bindAddress.isBlank() || bindAddress.equals("0.0.0.0")
                || bindAddress.equals("::") ? "127.0.0.1" : bindAddress;
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** A discoverd instance id from the service and its address ({@code pier-controller-127.0.0.1-8300}). */
    public static String instanceId(String serviceName, String address) {
        String id = (serviceName + "-" + address).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-")
                .replaceAll("^-+|-+$", "");
        return id.length() > 63 ? id.substring(0, 63).replaceAll("-+$", "") : id;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close(); // deregisters
            client = null;
            registration = null;
        }
    }
}
