package dev.pier.router.metrics;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The proxy's series for one app's process type (its routed service), as read: the sum of the {@link Counts} of
 * every thread that counted into it. The proxy counts into its own thread's {@link Counts}
 * ({@link RouterMetrics#counts}), found once per connection, with no atomic operation and no allocation per
 * request.
 */
public final class AppSeries {
    final String app;
    final String processType;
    /** One per counting thread (an event loop, or a test's thread); added to once per thread. */
    private final CopyOnWriteArrayList<Counts> shards = new CopyOnWriteArrayList<>();

    AppSeries(String app, String processType) {
        this.app = app;
        this.processType = processType;
    }

    /** New counts for one thread, part of this series from now on. */
    Counts newCounts() {
        Counts c = new Counts();
        shards.add(c);
        return c;
    }

    /** Slot {@code i} summed over every thread's counts. */
    long sum(int i) {
        long n = 0;
        for (Counts c : shards) {
            n += c.slots.get(i);
        }
        return n;
    }

    /** Answers of status class {@code c} (1 to 5) so far. */
    public long answers(int c) {
        return sum(Counts.STATUS + c - 1);
    }

    /** Answers whose head took at most bucket {@code i}'s bound (not cumulative; the last bucket is +Inf). */
    long bucketCount(int i) {
        return sum(Counts.BUCKET + i);
    }

    long durationNanos() {
        return sum(Counts.DURATION_NANOS);
    }

    public long connectErrors() {
        return sum(Counts.CONNECT_ERRORS);
    }

    public long activeNow() {
        return sum(Counts.ACTIVE);
    }

    public long requestBytes() {
        return sum(Counts.REQUEST_BYTES);
    }

    public long responseBytes() {
        return sum(Counts.RESPONSE_BYTES);
    }

    long requests() {
        long n = 0;
        for (int c = 1; c <= 5; c++) {
            n += answers(c);
        }
        return n;
    }
}
