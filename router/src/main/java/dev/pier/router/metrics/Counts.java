package dev.pier.router.metrics;

/**
 * One thread's counts of one {@link AppSeries}: what the proxy adds to on the hot path. Only the thread it was handed
 * to ({@link RouterMetrics#counts}) counts into it, so every update is a plain add into counters no other thread
 * writes ({@link Slots}); the series sums its threads' counts when it is read.
 */
public final class Counts {
    /** Upper bounds of the duration histogram, in seconds (+Inf is implied). */
    static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
        30, 60};
    private static final long[] BOUND_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUND_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    /** Answers by status class: slot c-1 for class c (1xx .. 5xx). */
    static final int STATUS = 0;
    /** Per-bucket (not cumulative) counts; the last one is +Inf. */
    static final int BUCKET = STATUS + 5;
    static final int DURATION_NANOS = BUCKET + BOUNDS.length + 1;
    static final int CONNECT_ERRORS = DURATION_NANOS + 1;
    static final int ACTIVE = CONNECT_ERRORS + 1;
    static final int REQUEST_BYTES = ACTIVE + 1;
    static final int RESPONSE_BYTES = REQUEST_BYTES + 1;
    static final int SLOTS = RESPONSE_BYTES + 1;

    final Slots slots = new Slots(SLOTS);

    Counts() {
    }

    /** The slot of status class {@code c} (1 to 5) for {@code status}; codes out of range count as 1xx or 5xx. */
    static int statusClass(int status) {
        return Math.max(1, Math.min(5, status / 100));
    }

    /** The histogram bucket of {@code nanos}: the first whose bound it does not exceed (the last is +Inf). */
    static int bucket(long nanos) {
        int i = 0;
        while (i < BOUND_NANOS.length && nanos > BOUND_NANOS[i]) {
            i++;
        }
        return i;
    }

    /** One answer sent to a client, by status code. */
    public void answered(int status) {
        slots.add(STATUS + statusClass(status) - 1, 1);
    }

    /** The time from a request's head to its response's head. */
    public void duration(long nanos) {
        slots.add(BUCKET + bucket(nanos), 1);
        slots.add(DURATION_NANOS, nanos);
    }

    /** A connection to one of the app's instances could not be opened. */
    public void connectError() {
        slots.add(CONNECT_ERRORS, 1);
    }

    /** A request (or a WebSocket tunnel) to the app began; {@link #ended()} follows once, on the same thread. */
    public void began() {
        slots.add(ACTIVE, 1);
    }

    public void ended() {
        slots.add(ACTIVE, -1);
    }

    public void requestBytes(long n) {
        slots.add(REQUEST_BYTES, n);
    }

    public void responseBytes(long n) {
        slots.add(RESPONSE_BYTES, n);
    }
}
