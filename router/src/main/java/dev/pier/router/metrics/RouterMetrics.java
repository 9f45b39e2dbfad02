package dev.pier.router.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * The proxy's own series, per app and process type (labels {@code app}, {@code process_type}; both empty for
 * requests no route matched), collected into Prometheus' registry at scrape time:
 * <ul>
 *   <li>{@code pier_router_requests_total{status_class="2xx"}}: answers sent, the router's own (404, 502, ...)
 *       included;</li>
 *   <li>{@code pier_router_request_duration_seconds}: histogram of the time from a request's head to its
 *       response's head (the instance's, or the router's 502/504), retries included;</li>
 *   <li>{@code pier_router_upstream_connect_errors_total}: connections to an instance that could not be opened;</li>
 *   <li>{@code pier_router_active_requests}: requests in progress, open WebSocket tunnels included;</li>
 *   <li>{@code pier_router_request_bytes_total}, {@code pier_router_response_bytes_total}: body (and tunnel)
 *       bytes relayed;</li>
 *   <li>{@code pier_router_client_connections}: open client connections (no labels).</li>
 * </ul>
 * Disabled ({@link #disabled()}), it hands out no series and the proxy counts nothing (for the overhead benchmark).
 */
public final class RouterMetrics implements MultiCollector {
    private final boolean enabled;
    private final ConcurrentHashMap<String, AppSeries> series = new ConcurrentHashMap<>();
    private final AppSeries unrouted = new AppSeries("", "");
    private final LongAdder clientConnections = new LongAdder();

    public RouterMetrics() {
        this(true);
    }

    private RouterMetrics(boolean enabled) {
        this.enabled = enabled;
    }

    /** Metrics that count nothing. */
    public static RouterMetrics disabled() {
        return new RouterMetrics(false);
    }

    public boolean enabled() {
        return enabled;
    }

    /** The series of {@code app}'s routed {@code service} ({@code <app>-<process type>}); null when disabled. */
    public AppSeries of(String app, String service) {
        if (!enabled) {
            return null;
        }
        AppSeries s = series.get(service);
        return s != null ? s : series.computeIfAbsent(service, k -> new AppSeries(app, processType(app, service)));
    }

    /** The series of requests no route matched; null when disabled. */
    public AppSeries unrouted() {
        return enabled ? unrouted : null;
    }

    public void connectionOpened() {
        if (enabled) {
            clientConnections.increment();
        }
    }

    public void connectionClosed() {
        if (enabled) {
            clientConnections.decrement();
        }
    }

    /** {@code shop-web} of app {@code shop} → {@code web}. */
    static String processType(String app, String service) {
        return service.startsWith(app + "-") ? service.substring(app.length() + 1) : service;
    }

    /** Requests answered so far for {@code app} (every process type and status), for tests. */
    public long requests(String app) {
        long n = 0;
        for (AppSeries s : all()) {
            if (s.app.equals(app)) {
                n += s.requests();
            }
        }
        return n;
    }

    private List<AppSeries> all() {
        List<AppSeries> all = new ArrayList<>(series.values());
        all.sort((a, b) -> a.app.equals(b.app) ? a.processType.compareTo(b.processType) : a.app.compareTo(b.app));
        if (unrouted.requests() > 0) {
            all.add(0, unrouted);
        }
        return all;
    }

    private static Labels labels(AppSeries s) {
        return Labels.of("app", s.app, "process_type", s.processType);
    }

    @Override
    public MetricSnapshots collect() {
        List<AppSeries> all = enabled ? all() : List.of();
        CounterSnapshot.Builder requests = CounterSnapshot.builder().name("pier_router_requests")
                .help("Answers sent to clients, by app, process type and status class (the router's own included).");
        HistogramSnapshot.Builder durations = HistogramSnapshot.builder().name("pier_router_request_duration_seconds")
                .help("Time from a request's head to its response's head, retries included.");
        for (AppSeries s : all) {
            for (int c = 1; c <= 5; c++) {
                long n = s.statuses[c].sum();
                if (n > 0) {
                    requests.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(n)
                            .labels(labels(s).add("status_class", c + "xx")).build());
                }
            }
            long[] counts = new long[AppSeries.BOUNDS.length + 1];
            long total = 0;
            for (int i = 0; i < counts.length; i++) {
                counts[i] = s.buckets[i].sum();
                total += counts[i];
            }
            if (total > 0) {
                double[] bounds = java.util.Arrays.copyOf(AppSeries.BOUNDS, AppSeries.BOUNDS.length + 1);
                bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
                durations.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                        .sum(s.durationNanos.sum() / 1e9).labels(labels(s)).build());
            }
        }
        return MetricSnapshots.of(requests.build(), durations.build(),
                counter(all, "pier_router_upstream_connect_errors",
                        "Connections to an app's instances that could not be opened.", s -> s.connectErrors.sum()),
                gauge(all, "pier_router_active_requests", "Requests in progress, open WebSocket tunnels included.",
                        s -> s.active.sum()),
                counter(all, "pier_router_request_bytes", "Request body (and tunnel) bytes sent on to instances.",
                        s -> s.requestBytes.sum()),
                counter(all, "pier_router_response_bytes", "Response body (and tunnel) bytes sent on to clients.",
                        s -> s.responseBytes.sum()),
                GaugeSnapshot.builder().name("pier_router_client_connections").help("Open client connections.")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(clientConnections.sum()).build())
                        .build());
    }

    private static CounterSnapshot counter(List<AppSeries> all, String name, String help, ToLongFunction<AppSeries> f) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        all.forEach(s -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(f.applyAsLong(s))
                .labels(labels(s)).build()));
        return b.build();
    }

    private static GaugeSnapshot gauge(List<AppSeries> all, String name, String help, ToLongFunction<AppSeries> f) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        all.forEach(s -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(f.applyAsLong(s))
                .labels(labels(s)).build()));
        return b.build();
    }

    /** These series alone in Prometheus' text format (the admin port serves them with the JVM's). */
    public String prometheus() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, collect());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of("pier_router_requests", "pier_router_request_duration_seconds",
                "pier_router_upstream_connect_errors", "pier_router_active_requests", "pier_router_request_bytes",
                "pier_router_response_bytes", "pier_router_client_connections");
    }
}
