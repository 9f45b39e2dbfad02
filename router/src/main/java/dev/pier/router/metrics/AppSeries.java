package dev.pier.router.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * The proxy's counters for one app's process type (its routed service): found once per request (usually from the
 * connection's cache), then only {@link LongAdder}s are touched, with no allocation.
 */
public final class AppSeries {
    /** Upper bounds of the duration histogram, in seconds (+Inf is implied). */
    static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
        30, 60};
    private static final long[] BOUND_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUND_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    final String app;
    final String processType;
    /** Answers by status class: index 1 = 1xx ... 5 = 5xx. */
    final LongAdder[] statuses = adders(6);
    /** Per-bucket (not cumulative) counts; the last one is +Inf. */
    final LongAdder[] buckets = adders(BOUNDS.length + 1);
    final LongAdder durationNanos = new LongAdder();
    final LongAdder connectErrors = new LongAdder();
    final LongAdder active = new LongAdder();
    final LongAdder requestBytes = new LongAdder();
    final LongAdder responseBytes = new LongAdder();

    AppSeries(String app, String processType) {
        this.app = app;
        this.processType = processType;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** One answer sent to a client, by status code. */
    public void answered(int status) {
        statuses[Math.max(1, Math.min(5, status / 100))].increment();
    }

    /** The time from a request's head to its response's head. */
    public void duration(long nanos) {
        int i = 0;
        while (i < BOUND_NANOS.length && nanos > BOUND_NANOS[i]) {
            i++;
        }
        buckets[i].increment();
        durationNanos.add(nanos);
    }

    /** A connection to one of the app's instances could not be opened. */
    public void connectError() {
        connectErrors.increment();
    }

    /** A request (or a WebSocket tunnel) to the app began; {@link #ended()} follows once. */
    public void began() {
        active.increment();
    }

    public void ended() {
        active.decrement();
    }

    public void requestBytes(long n) {
        requestBytes.add(n);
    }

    public void responseBytes(long n) {
        responseBytes.add(n);
    }

    /** Answers of status class {@code c} (1 to 5) so far. */
    public long answers(int c) {
        return statuses[c].sum();
    }

    public long connectErrors() {
        return connectErrors.sum();
    }

    public long activeNow() {
        return active.sum();
    }

    public long requestBytes() {
        return requestBytes.sum();
    }

    public long responseBytes() {
        return responseBytes.sum();
    }

    long requests() {
        long n = 0;
        for (LongAdder s : statuses) {
            n += s.sum();
        }
        return n;
    }
}
