package dev.pier.discoverd.watch;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;

/**
 * discoverd's view in {@code /metrics}, read from the {@link Mirror} at scrape time:
 * {@code pier_discoverd_instances{service}}, {@code pier_discoverd_watchers{service}} (open watch streams: the
 * fan-out of each service's events) and {@code pier_discoverd_watch_events_total} (events handed to watchers).
 */
public final class MirrorMetrics implements MultiCollector {
    private final Mirror mirror;

    public MirrorMetrics(Mirror mirror) {
        this.mirror = mirror;
    }

    @Override
    public MetricSnapshots collect() {
        return MetricSnapshots.of(
                perService("pier_discoverd_instances", "Registered instances, by service.", mirror.instanceCounts()),
                perService("pier_discoverd_watchers", "Open watch streams, by service.", mirror.subscriberCounts()),
                CounterSnapshot.builder().name("pier_discoverd_watch_events")
                        .help("Events handed to watchers (one per event and watcher).")
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .value(mirror.eventsDelivered()).build())
                        .build());
    }

    private static GaugeSnapshot perService(String name, String help, Map<String, Integer> counts) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        counts.forEach((service, n) -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(n)
                .labels(Labels.of("service", service)).build()));
        return b.build();
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of("pier_discoverd_instances", "pier_discoverd_watchers", "pier_discoverd_watch_events");
    }
}
