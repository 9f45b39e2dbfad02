package dev.pier.router.admin;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.MetricsAnnouncement;
import java.net.URI;

/** Announces the admin port's {@code /metrics} in discoverd as {@code pier-router} (nothing when no URL is set). */
public final class MetricsAnnouncer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MetricsAnnouncer.class.getName());
    private final DiscoverdClient client;

    public MetricsAnnouncer(String discoverdUrl, String clusterKey, String address) {
        if (discoverdUrl == null || discoverdUrl.isBlank()) {
            client = null;
            return;
        }
        client = new DiscoverdClient(URI.create(discoverdUrl.strip()), clusterKey);
        MetricsAnnouncement.announce(client, "pier-router", address);
        LOG.log(System.Logger.Level.INFO, "event=metrics-announced service=pier-router address=" + address
                + " discoverd=" + discoverdUrl.strip());
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
