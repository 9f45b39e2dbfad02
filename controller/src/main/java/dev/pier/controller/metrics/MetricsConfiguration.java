package dev.pier.controller.metrics;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

    @Bean
    MetricsHistory metricsHistory(MetricsProperties properties) {
        return new MetricsHistory(properties.retention());
    }

    @Bean
    ControllerMetrics controllerMetrics(JdbcTemplate jdbc, ObjectProvider<PrometheusRegistry> prometheus) {
        ControllerMetrics metrics = new ControllerMetrics(jdbc);
        prometheus.ifAvailable(registry -> registry.register(metrics)); // absent when metrics export is off
        return metrics;
    }
}
