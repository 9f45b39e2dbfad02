package dev.pier.controller.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.controller.metrics.*}: how often the controller samples the routers' and host agents'
 * {@code /metrics} (the resolution of {@code GET /apps/{app}/metrics}), and how long it keeps the figures.
 */
@ConfigurationProperties("pier.controller.metrics")
public record MetricsProperties(
        @DefaultValue("10s") Duration interval,
        @DefaultValue("1h") Duration retention) {

    public MetricsProperties {
        if (interval.toMillis() < 1000 || interval.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("pier.controller.metrics.interval must be a whole number of seconds, "
                    + "at least 1s, not " + interval);
        }
        if (retention.compareTo(interval) < 0 || retention.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("pier.controller.metrics.retention must be between the interval and "
                    + "1d, not " + retention);
        }
    }
}
