package dev.pier.router.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.router.metrics.*}.
 *
 * @param enabled the proxy counts its per-app series (default); off, {@code /metrics} has only the JVM's figures
 *                (the overhead benchmark's baseline)
 */
@ConfigurationProperties("pier.router.metrics")
public record RouterMetricsProperties(@DefaultValue("true") boolean enabled) {
}
