package dev.pier.api.metrics;

import java.time.Instant;
import java.util.Map;

/** An app's figures over the interval that ended {@code at}, per process type. */
public record MetricsPoint(Instant at, Map<String, ProcessFigures> processes) {
    public MetricsPoint {
        processes = processes == null ? Map.of() : Map.copyOf(processes);
    }
}
