package dev.pier.controller.metrics;

import dev.pier.api.metrics.MetricsPoint;
import dev.pier.api.metrics.ProcessFigures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The last {@code retention} of every app's figures, one point per sampling round, in memory (a controller that
 * restarts starts afresh; each controller keeps its own). Listeners hear of each new point (the dashboard's live
 * plots). Thread-safe.
 */
public final class MetricsHistory {
    private final Duration retention;
    private final Map<String, Deque<MetricsPoint>> apps = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, MetricsPoint>> listeners = new CopyOnWriteArrayList<>();

    public MetricsHistory(Duration retention) {
        this.retention = retention;
    }

    public Duration retention() {
        return retention;
    }

    /** One round's figures: a point for every app in it; points older than the retention are dropped. */
    public void add(Instant at, Map<String, Map<String, ProcessFigures>> figures) {
        Instant oldest = at.minus(retention);
        figures.forEach((app, processes) -> {
            MetricsPoint point = new MetricsPoint(at, processes);
            Deque<MetricsPoint> points = apps.computeIfAbsent(app, a -> new ArrayDeque<>());
            synchronized (points) {
                points.addLast(point);
            }
            listeners.forEach(listener -> listener.accept(app, point));
        });
        apps.values().forEach(points -> {
            synchronized (points) {
                while (!points.isEmpty() && points.peekFirst().at().isBefore(oldest)) {
                    points.removeFirst();
                }
            }
        });
        apps.values().removeIf(points -> {
            synchronized (points) {
                return points.isEmpty();
            }
        });
    }

    /** The app's points after {@code since} (null: all), oldest first. */
    public List<MetricsPoint> points(String app, Instant since) {
        Deque<MetricsPoint> points = apps.get(app);
        if (points == null) {
            return List.of();
        }
        List<MetricsPoint> result = new ArrayList<>();
        synchronized (points) {
            for (MetricsPoint p : points) {
                if (since == null || p.at().isAfter(since)) {
                    result.add(p);
                }
            }
        }
        return result;
    }

    /** Hears of every new point (app, point) until removed; called on the sampling thread: be quick. */
    public Runnable listen(BiConsumer<String, MetricsPoint> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
