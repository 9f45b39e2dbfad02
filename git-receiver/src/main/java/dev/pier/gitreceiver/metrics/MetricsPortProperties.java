package dev.pier.gitreceiver.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.git-receiver.metrics.*}: the receiver serves {@code /metrics} (and {@code /health}) over HTTP on a
 * port of its own, on the SSH server's bind address.
 *
 * @param port the port; -1 (the default) serves none, 0 takes a free one
 */
@ConfigurationProperties("pier.git-receiver.metrics")
public record MetricsPortProperties(@DefaultValue("-1") int port) {
    public MetricsPortProperties {
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("pier.git-receiver.metrics.port must be -1 (none), 0 (any free) or a "
                    + "port up to 65535, not " + port);
        }
    }
}
