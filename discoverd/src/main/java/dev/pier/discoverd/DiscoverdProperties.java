package dev.pier.discoverd;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.discoverd.*}.
 *
 * @param etcdEndpoints  etcd client URLs ({@code http://host:port}), comma-separated
 * @param defaultTtl     lease TTL of a registration or candidacy that names none (whole seconds)
 * @param etcdTimeout    how long one etcd call may take before discoverd answers 503
 * @param watchHeartbeat how often a watch stream carries a heartbeat comment
 * @param keyPrefix      where in etcd discoverd keeps its keys
 */
@ConfigurationProperties("pier.discoverd")
public record DiscoverdProperties(
        @DefaultValue("http://127.0.0.1:2379") List<String> etcdEndpoints,
        @DefaultValue("5s") Duration defaultTtl,
        @DefaultValue("2s") Duration etcdTimeout,
        @DefaultValue("5s") Duration watchHeartbeat,
        @DefaultValue("/pier/discoverd") String keyPrefix) {

    public DiscoverdProperties {
        if (etcdEndpoints == null || etcdEndpoints.isEmpty()) {
            throw new IllegalArgumentException("pier.discoverd.etcd-endpoints must name at least one etcd URL");
        }
        for (String endpoint : etcdEndpoints) {
            URI uri;
            try {
                uri = URI.create(endpoint.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pier.discoverd.etcd-endpoints: '" + endpoint + "' is not a URL");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getPort() <= 0) {
                throw new IllegalArgumentException("pier.discoverd.etcd-endpoints: '" + endpoint
                        + "' must look like http://127.0.0.1:2379");
            }
        }
        etcdEndpoints = etcdEndpoints.stream().map(String::strip).toList();
        if (defaultTtl.toMillis() < 1000 || defaultTtl.toMillis() % 1000 != 0 || defaultTtl.toSeconds() > 300) {
            throw new IllegalArgumentException("pier.discoverd.default-ttl must be whole seconds between 1 s and 300 s, not "
                    + defaultTtl);
        }
        if (etcdTimeout.isNegative() || etcdTimeout.isZero()) {
            throw new IllegalArgumentException("pier.discoverd.etcd-timeout must be positive, not " + etcdTimeout);
        }
        if (watchHeartbeat.toMillis() < 100) {
            throw new IllegalArgumentException("pier.discoverd.watch-heartbeat must be at least 100 ms, not "
                    + watchHeartbeat);
        }
        if (keyPrefix == null || !keyPrefix.startsWith("/") || keyPrefix.endsWith("/")) {
            throw new IllegalArgumentException("pier.discoverd.key-prefix must start with '/' and not end with it, not '"
                    + keyPrefix + "'");
        }
    }
}
