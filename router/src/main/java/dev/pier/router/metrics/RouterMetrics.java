package dev.pier.router.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Requests, status classes and upstream latency per app, written in Prometheus text format. */
public final class RouterMetrics {
    private static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30};
    private final Map<String, AppCounters> apps = new ConcurrentHashMap<>();

    private static final class AppCounters {
        final LongAdder[] statuses = new LongAdder[6];
        final LongAdder[] buckets = new LongAdder[BUCKETS.length];
        final LongAdder latencyCount = new LongAdder();
        final LongAdder latencyMicros = new LongAdder();

        AppCounters() {
            for (int i = 0; i < statuses.length; i++) {
                statuses[i] = new LongAdder();
            }
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }
    }

    /** One answered request; {@code app} is "" for unrouted hosts. */
    public void request(String app, int status) {
        int cls = Math.max(0, Math.min(5, status / 100));
        counters(app).statuses[cls].increment();
    }

    /** Time from sending upstream to its response headers. */
    public void upstreamLatency(String app, long nanos) {
        AppCounters c = counters(app);
        double seconds = nanos / 1e9;
        // one counter per request (the bucket it falls in); the exposition adds them up into Prometheus's
        // cumulative buckets
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                c.buckets[i].increment();
                break;
            }
        }
        c.latencyCount.increment();
        c.latencyMicros.add(nanos / 1000);
    }

    private AppCounters counters(String app) {
        return apps.computeIfAbsent(app == null ? "" : app, a -> new AppCounters());
    }

    /** The Prometheus text exposition. */
    public String prometheus() {
        StringBuilder out = new StringBuilder();
        Map<String, AppCounters> sorted = new TreeMap<>(apps);
        out.append("# HELP pier_router_requests_total Requests answered, by app and status class.\n");
        out.append("# TYPE pier_router_requests_total counter\n");
        sorted.forEach((app, c) -> {
            for (int i = 1; i < 6; i++) {
                long n = c.statuses[i].sum();
                if (n > 0) {
                    out.append("pier_router_requests_total{app=\"").append(escape(app)).append("\",status=\"")
                            .append(i).append("xx\"} ").append(n).append('\n');
                }
            }
        });
        out.append("# HELP pier_router_upstream_latency_seconds Time to upstream response headers.\n");
        out.append("# TYPE pier_router_upstream_latency_seconds histogram\n");
        sorted.forEach((app, c) -> {
            if (c.latencyCount.sum() == 0) {
                return;
            }
            String a = escape(app);
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += c.buckets[i].sum();
                out.append("pier_router_upstream_latency_seconds_bucket{app=\"").append(a).append("\",le=\"")
                        .append(BUCKETS[i]).append("\"} ").append(cumulative).append('\n');
            }
            long count = c.latencyCount.sum();
            out.append("pier_router_upstream_latency_seconds_bucket{app=\"").append(a).append("\",le=\"+Inf\"} ")
                    .append(count).append('\n');
            out.append("pier_router_upstream_latency_seconds_sum{app=\"").append(a).append("\"} ")
                    .append(c.latencyMicros.sum() / 1e6).append('\n');
            out.append("pier_router_upstream_latency_seconds_count{app=\"").append(a).append("\"} ")
                    .append(count).append('\n');
        });
        return out.toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
