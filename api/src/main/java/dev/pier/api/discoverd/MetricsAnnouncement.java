package dev.pier.api.discoverd;

import java.util.Locale;
import java.util.Map;

/**
 * How a Pier service announces its {@code /metrics} in discoverd: an instance of {@value #SERVICE} whose address is
 * where to scrape and whose meta names the service ({@value #META_SERVICE}, e.g. {@code pier-router}) and the path
 * ({@value #META_PATH}). Prometheus finds them through discoverd's {@code GET /prometheus/targets}; the controller
 * finds the routers and host agents it samples the same way.
 */
public final class MetricsAnnouncement {
    public static final String SERVICE = "pier-metrics";
    public static final String META_SERVICE = "service";
    public static final String META_PATH = "path";
    public static final String PATH = "/metrics";

    private MetricsAnnouncement() {
    }

    /** Registers {@code serviceName}'s metrics at {@code address} until the returned handle is closed. */
    public static Registration announce(DiscoverdClient discoverd, String serviceName, String address) {
        return discoverd.register(SERVICE, instanceId(serviceName, address), address,
                Map.of(META_SERVICE, serviceName, META_PATH, PATH));
    }

    /** A discoverd instance id from the service and its address ({@code pier-controller-127.0.0.1-8300}). */
    public static String instanceId(String serviceName, String address) {
        String id = (serviceName + "-" + address).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-")
                .replaceAll("^[-.]+|-+$", "");
        return id.length() > 63 ? id.substring(0, 63).replaceAll("-+$", "") : id;
    }

    /** {@code host:port} to scrape: {@code configured} if set, else the bind address (127.0.0.1 for a wildcard). */
    public static String address(String configured, String bindAddress, int port) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        String host = bindAddress == null || bindAddress.isBlank() || bindAddress.equals("0.0.0.0")
                || bindAddress.equals("::") ? "127.0.0.1" : bindAddress;
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
