package dev.pier.web.metrics;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Every Pier HTTP service serves Spring Boot Actuator's Prometheus endpoint at {@code /metrics} (not under
 * {@code /actuator}) and exposes no other actuator endpoint over HTTP. These are defaults, the lowest of all
 * property sources: a service's own properties may still change them.
 */
public class MetricsDefaults implements EnvironmentPostProcessor {
    static final String SOURCE = "pierMetricsDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(SOURCE)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(
                "management.endpoints.web.base-path", "/",
                "management.endpoints.web.exposure.include", "prometheus",
                "management.endpoints.web.path-mapping.prometheus", "metrics",
                "management.endpoints.jmx.exposure.exclude", "*",
                // HTTP server timings as a histogram Prometheus can take quantiles of
                "management.metrics.distribution.percentiles-histogram.http.server.requests", "true",
                "management.metrics.distribution.maximum-expected-value.http.server.requests", "30s",
                "management.metrics.distribution.minimum-expected-value.http.server.requests", "1ms")));
    }
}
