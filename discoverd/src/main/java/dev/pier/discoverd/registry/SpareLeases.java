package dev.pier.discoverd.registry;

import io.etcd.jetcd.Lease;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few leases granted ahead of need, per TTL, so that registering a new instance costs one etcd round trip
 * (the put) instead of two (grant, then put). A spare is used only while young (under {@value #MAX_AGE_MS} ms
 * old, so most of its TTL is left) and is renewed right after use; stale spares are left to expire on their
 * own. Refills happen only after a spare was asked for, so an idle discoverd grants nothing.
 */
final class SpareLeases {
    static final long MAX_AGE_MS = 1000;
    private static final int PER_TTL = 2;

    private record Spare(long lease, long grantedNanos) {
    }

    private final Lease leases;
    private final Map<Long, Deque<Spare>> spares = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> granting = new ConcurrentHashMap<>();

    SpareLeases(Lease leases) {
        this.leases = leases;
    }

    /** A young spare lease of {@code ttlSeconds}, or -1 when there is none (the caller grants one itself). */
    long take(long ttlSeconds) {
        Deque<Spare> pool = spares.computeIfAbsent(ttlSeconds, t -> new ConcurrentLinkedDeque<>());
        long now = System.nanoTime();
        long found = -1;
        Spare spare;
        while ((spare = pool.pollFirst()) != null) {
            if (now - spare.grantedNanos() < MAX_AGE_MS * 1_000_000L) {
                found = spare.lease();
                break;
            }
        }
        refill(ttlSeconds, pool);
        return found;
    }

    /** Renews a spare just put to use, so its owner gets the whole TTL. */
    void renewAfterUse(long lease) {
        leases.keepAliveOnce(lease).exceptionally(e -> null);
    }

    private void refill(long ttlSeconds, Deque<Spare> pool) {
        AtomicInteger inFlight = granting.computeIfAbsent(ttlSeconds, t -> new AtomicInteger());
        while (pool.size() + inFlight.get() < PER_TTL) {
            inFlight.incrementAndGet();
            long asked = System.nanoTime();
            leases.grant(ttlSeconds).whenComplete((granted, error) -> {
                inFlight.decrementAndGet();
                if (error == null) {
                    pool.addLast(new Spare(granted.getID(), asked));
                }
            });
        }
    }
}
