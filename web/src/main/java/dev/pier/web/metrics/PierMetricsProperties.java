package dev.pier.web.metrics;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * {@code pier.metrics.*}: who may read {@code /metrics}, and where a service announces it.
 *
 * @param isPublic          {@code pier.metrics.public}: {@code /metrics} answers without the cluster key (default:
 *                          it needs the key, like every other endpoint)
 * @param discoverdUrl      when set, the service registers its {@code /metrics} in discoverd as an instance of
 *                          {@code pier-metrics}, which Prometheus finds through discoverd's
 *                          {@code /prometheus/targets}
 * @param advertisedAddress {@code host:port} others scrape; default: the server's bind address and actual port
 */
@ConfigurationProperties("pier.metrics")
public record PierMetricsProperties(
        @Name("public") @DefaultValue("false") boolean isPublic,
        URI discoverdUrl,
        String advertisedAddress) {
}
