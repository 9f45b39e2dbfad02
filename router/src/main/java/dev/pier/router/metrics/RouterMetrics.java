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
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * The proxy counts into its own thread's {@link Counts} ({@link #counts}, {@link #unroutedCounts}): counters that
 * only that event loop writes, on cache lines of their own ({@link Slots}), so counting costs a few plain adds
 * and the two event loops never write to the same memory; a scrape sums them.
 * Disabled ({@link #disabled()}), it hands out no series and the proxy counts nothing (for the overhead benchmark).
 */
public final class RouterMetrics implements MultiCollector {
    private final boolean enabled;
    private final ConcurrentHashMap<String, AppSeries> series = new ConcurrentHashMap<>();
    private final AppSeries unrouted = new AppSeries("", "");
    /** Each counting thread's open client connections (one counter per thread, see {@link Slots}). */
    private final CopyOnWriteArrayList<Slots> connections = new CopyOnWriteArrayList<>();
    /** What the calling thread counts into: its {@link Counts} per service, made when first needed. */
    private final ThreadLocal<Local> local = ThreadLocal.withInitial(Local::new);

    /** One thread's counts: no other thread writes them. */
    private final class Local {
        final HashMap<String, Counts> byService = new HashMap<>();
        Counts unrouted;
        final Slots connections = new Slots(1);

        Local() {
            RouterMetrics.this.connections.add(connections);
        }
    }

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

    /** The series of {@code app}'s routed {@code service} ({@code <app>-<process type>}), to read; null when disabled. */
    public AppSeries of(String app, String service) {
        if (!enabled) {
            return null;
        }
        AppSeries s = series.get(service);
        return s != null ? s : series.computeIfAbsent(service, k -> new AppSeries(app, processType(app, service)));
    }

    /**
     * The calling thread's counts of {@code app}'s routed {@code service}: only this thread may count into them
     * (the proxy asks once per connection, on the connection's event loop); null when disabled.
     */
    public Counts counts(String app, String service) {
        if (!enabled) {
            return null;
        }
        Local l = local.get();
        Counts c = l.byService.get(service);
        if (c == null) {
            c = of(app, service).newCounts();
            l.byService.put(service, c);
        }
        return c;
    }

    /** The series of requests no route matched, to read; null when disabled. */
    public AppSeries unrouted() {
        return enabled ? unrouted : null;
    }

    /** The calling thread's counts of requests no route matched (only this thread counts into them); null when disabled. */
    public Counts unroutedCounts() {
        if (!enabled) {
            return null;
        }
        Local l = local.get();
        if (l.unrouted == null) {
            l.unrouted = unrouted.newCounts();
        }
        return l.unrouted;
    }

    /** A client connection opened; {@link #connectionClosed()} follows on the same thread. */
    public void connectionOpened() {
        if (enabled) {
            local.get().connections.add(0, 1);
        }
    }

    public void connectionClosed() {
        if (enabled) {
            local.get().connections.add(0, -1);
        }
    }

    /** Open client connections, over every thread. */
    long clientConnections() {
        long n = 0;
        for (Slots s : connections) {
            n += s.get(0);
        }
        return n;
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
                long n = s.answers(c);
                if (n > 0) {
                    requests.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(n)
                            .labels(labels(s).add("status_class", c + "xx")).build());
                }
            }
            long[] counts = new long[Counts.BOUNDS.length + 1];
            long total = 0;
            for (int i = 0; i < counts.length; i++) {
                counts[i] = s.bucketCount(i);
                total += counts[i];
            }
            if (total > 0) {
                double[] bounds = java.util.Arrays.copyOf(Counts.BOUNDS, Counts.BOUNDS.length + 1);
                bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
                durations.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                        .sum(s.durationNanos() / 1e9).labels(labels(s)).build());
            }
        }
        return MetricSnapshots.of(requests.build(), durations.build(),
                counter(all, "pier_router_upstream_connect_errors",
                        "Connections to an app's instances that could not be opened.", AppSeries::connectErrors),
                gauge(all, "pier_router_active_requests", "Requests in progress, open WebSocket tunnels included.",
                        AppSeries::activeNow),
                counter(all, "pier_router_request_bytes", "Request body (and tunnel) bytes sent on to instances.",
                        AppSeries::requestBytes),
                counter(all, "pier_router_response_bytes", "Response body (and tunnel) bytes sent on to clients.",
                        AppSeries::responseBytes),
                GaugeSnapshot.builder().name("pier_router_client_connections").help("Open client connections.")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(clientConnections()).build())
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
