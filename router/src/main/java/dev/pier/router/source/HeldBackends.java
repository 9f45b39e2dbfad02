package dev.pier.router.source;

import dev.pier.router.table.Backend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The backends the router sends one service's requests to: the instances discoverd lists, plus those held since
 * the watch reconnected. A discoverd that restarted (or lost etcd) may answer a reconnecting watch with a list
 * that lacks instances whose owners are alive but have not registered again yet: their leases ran out while
 * nobody could renew them, and the owners heartbeat again within a third of a lease. Such an instance, routed
 * before and missing from the fresh list, is held (still routed) until {@code holdNanos} later, so the router
 * does not answer 503 meanwhile; it is released as soon as it is listed again, goes {@code down} explicitly, or
 * its deadline passes. A held instance that is in fact gone costs one refused connection, after which the table
 * ejects it and the request goes to the next backend. The first connection's list holds nothing.
 * Pure (the time is passed in); not thread-safe.
 */
final class HeldBackends {
    private final long holdNanos;
    private List<Backend> listed = List.of();
    private final Map<String, Held> held = new LinkedHashMap<>();

    private record Held(Backend backend, long untilNanos) {
    }

    HeldBackends(long holdNanos) {
        this.holdNanos = holdNanos;
    }

    /**
     * A complete list from discoverd (the first event of every connection of the watch): after a reconnection,
     * each backend routed until now and missing from it is held.
     */
    List<Backend> snapshot(List<Backend> fresh, boolean reconnected, long nowNanos) {
        if (reconnected) {
            Set<String> ids = ids(fresh);
            for (Backend before : routed()) {
                if (!ids.contains(before.id())) {
                    held.putIfAbsent(before.id(), new Held(before, nowNanos + holdNanos));
                }
            }
        }
        return listed(fresh);
    }

    /** Discoverd's list after an {@code up} or {@code update} (which also ends a hold). */
    List<Backend> changed(List<Backend> fresh) {
        return listed(fresh);
    }

    /** Discoverd's list after {@code id} went down: a held {@code id} goes too. */
    List<Backend> down(String id, List<Backend> fresh) {
        held.remove(id);
        return listed(fresh);
    }

    /** Drops the holds whose deadline passed. */
    List<Backend> expire(long nowNanos) {
        held.values().removeIf(h -> h.untilNanos() - nowNanos <= 0);
        return routed();
    }

    /** The earliest deadline of a hold, if any. */
    OptionalLong nextDeadline() {
        OptionalLong first = OptionalLong.empty();
        for (Held h : held.values()) {
            if (first.isEmpty() || h.untilNanos() - first.getAsLong() < 0) {
                first = OptionalLong.of(h.untilNanos());
            }
        }
        return first;
    }

    /** The ids held now. */
    Set<String> heldIds() {
        return Set.copyOf(held.keySet());
    }

    /** What to route to: the listed backends, then the held ones. */
    List<Backend> routed() {
        List<Backend> all = new ArrayList<>(listed);
        held.values().forEach(h -> all.add(h.backend()));
        return List.copyOf(all);
    }

    private List<Backend> listed(List<Backend> fresh) {
        listed = List.copyOf(fresh);
        held.keySet().removeAll(ids(fresh));
        return routed();
    }

    private static Set<String> ids(List<Backend> backends) {
        return backends.stream().map(Backend::id).collect(Collectors.toSet());
    }
}
