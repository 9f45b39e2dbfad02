package dev.pier.router.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A few counters with one writer thread: the writer adds with plain arithmetic and an opaque store (no atomic
 * read-modify-write, no fence), any thread reads them whole (opaque loads: a {@code long} is never torn). The
 * counters sit in the middle of an array padded with 128 bytes on each side, so no other object's fields share
 * their cache lines (nor the pair of lines a core prefetches together): the writer's stores do not slow down a
 * thread that touches memory next to them, and other threads' writes do not slow down the writer.
 *
 * <p>Why: the router's two event loops counting into shared {@code LongAdder}s made Netty's own, unrelated
 * {@code LongAdder}s (a buffer pool chunk's pinned-bytes counter, touched by every buffer allocated and freed)
 * about ten times as expensive in profiles: their cache lines were shared with the metrics' ones.
 */
final class Slots {
    /** 16 longs = 128 bytes. */
    static final int PAD = 16;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final int size;
    private final long[] values;

    Slots(int size) {
        this.size = size;
        this.values = new long[PAD + size + PAD];
    }

    int size() {
        return size;
    }

    /** Adds {@code delta} to counter {@code i}; only the owning thread may call it. */
    void add(int i, long delta) {
        int j = PAD + Objects.checkIndex(i, size);
        LONGS.setOpaque(values, j, values[j] + delta);
    }

    /** Counter {@code i} as last stored (by any thread's reading). */
    long get(int i) {
        return (long) LONGS.getOpaque(values, PAD + Objects.checkIndex(i, size));
    }
}
