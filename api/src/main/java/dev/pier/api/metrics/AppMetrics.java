package dev.pier.api.metrics;

import java.util.List;

/**
 * {@code GET /apps/{app}/metrics}: the app's recent figures as the controller sampled them from the routers and
 * host agents, oldest first, one point every {@code resolutionSeconds}, for at most {@code retentionSeconds}.
 */
public record AppMetrics(String app, int resolutionSeconds, int retentionSeconds, List<MetricsPoint> points) {
    public AppMetrics {
        points = points == null ? List.of() : List.copyOf(points);
    }
}
