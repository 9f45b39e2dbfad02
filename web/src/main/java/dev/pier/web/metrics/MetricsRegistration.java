package dev.pier.web.metrics;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.MetricsAnnouncement;
import dev.pier.api.discoverd.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

/**
 * Announces this service's {@code /metrics} in discoverd (when {@code pier.metrics.discoverd-url} is set): an
 * instance of {@link MetricsAnnouncement#SERVICE} with its scrape address and meta {@code service} (the service's name) and
 * {@code path}. Prometheus finds every such instance through discoverd's {@code /prometheus/targets}, and the
 * controller finds the router and host agents it samples the same way. Deregistered when the service stops.
 */
public class MetricsRegistration implements ApplicationListener<ApplicationEvent>, AutoCloseable {
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

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof WebServerInitializedEvent started
                && started.getApplicationContext().getServerNamespace() == null) {
            port = started.getWebServer().getPort();
        } else if (event instanceof ApplicationReadyEvent) {
            ready();
        }
    }

    private synchronized void ready() {
        if (properties.discoverdUrl() == null || registration != null || port <= 0) {
            return;
        }
        String address = MetricsAnnouncement.address(properties.advertisedAddress(), bindAddress, port);
        client = new DiscoverdClient(properties.discoverdUrl(), clusterKey);
        try {
            registration = MetricsAnnouncement.announce(client, serviceName, address);
        } catch (RuntimeException e) {
            // the service serves without its metrics announced rather than not at all (an exception here, in the
            // ready event, would end the process). register() retries an unreachable discoverd in the background
            // and throws when discoverd refuses the announcement itself (a 4xx): say so
            LOG.warn("event=metrics-announce-failed service={} address={} discoverd={} error=\"{}\"", serviceName,
                    address, properties.discoverdUrl(), e.toString(), e);
            client.close();
            client = null;
            return;
        }
        LOG.info("event=metrics-announced service={} address={} discoverd={}", serviceName, address,
                properties.discoverdUrl());
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
