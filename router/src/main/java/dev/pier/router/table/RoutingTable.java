package dev.pier.router.table;

import dev.pier.api.router.RoutedService;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The router's view: domain → app and service, service → backends. Pure logic: round-robin per service, and
 * backends that failed to connect are ejected for a while, or every backend of a host that does not answer (they
 * come back after {@code ejectNanos}; when every backend is ejected they are all tried anyway, so an outage ends as
 * soon as one comes back). Thread-safe:
 * the maps are swapped whole, reads take no lock.
 */
public final class RoutingTable {
    private final LongSupplier nanoClock;
    private final long ejectNanos;
    private volatile Map<String, Target> domains = Map.of();
    private final Map<String, List<Backend>> backends = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> cursors = new ConcurrentHashMap<>();
    private final Map<String, Long> ejectedUntil = new ConcurrentHashMap<>();

    public RoutingTable(long ejectNanos, LongSupplier nanoClock) {
        this.ejectNanos = ejectNanos;
        this.nanoClock = nanoClock;
    }

    private record Target(String app, String service) {
    }

    /** Replaces every route: domain (any case) → app and its service. */
    public void replaceRoutes(Map<String, RouteTarget> routes) {
        Map<String, Target> next = new HashMap<>();
        routes.forEach((domain, t) -> next.put(domain.toLowerCase(Locale.ROOT), new Target(t.app(), t.service())));
        domains = Map.copyOf(next);
    }

    /** The services some route points at. */
    public java.util.Set<String> routedServices() {
        java.util.Set<String> services = new java.util.TreeSet<>();
        domains.values().forEach(t -> services.add(t.service()));
        return services;
    }

    /** Replaces the backends of {@code service} (as discoverd lists them, up only). */
    public void replaceBackends(String service, List<Backend> list) {
        backends.put(service, List.copyOf(list));
    }

    /**
     * What this table does for {@code service} now: the domains routed to it and the ids of its backends, each
     * sorted ({@code router} is this router's id, for the answer).
     */
    public RoutedService routed(String router, String service) {
        List<String> names = new ArrayList<>();
        domains.forEach((domain, target) -> {
            if (target.service().equals(service)) {
                names.add(domain);
            }
        });
        Collections.sort(names);
        List<String> ids = new ArrayList<>();
        backends.getOrDefault(service, List.of()).forEach(b -> ids.add(b.id()));
        Collections.sort(ids);
        return new RoutedService(router, service, names, ids);
    }

    public void forgetService(String service) {
        backends.remove(service);
        cursors.remove(service);
    }

    /**
     * Where a request with this {@code Host} header (port and case ignored) goes: the route of that exact name,
     * else a {@code *.} wildcard route of its parent domain.
     */
    public Destination resolve(String hostHeader) {
        String host = hostOnly(hostHeader);
        Target target = host == null ? null : domains.get(host);
        if (target == null && host != null) {
            String wildcard = wildcardOf(host);
            target = wildcard == null ? null : domains.get(wildcard);
        }
        if (target == null) {
            return new Destination(host, null, null, List.of());
        }
        List<Backend> all = backends.getOrDefault(target.service(), List.of());
        if (all.isEmpty()) {
            return new Destination(host, target.app(), target.service(), List.of());
        }
        List<Backend> order = all;
        if (!ejectedUntil.isEmpty()) {
            order = withoutEjected(all);
        }
        int start = Math.floorMod(cursors.computeIfAbsent(target.service(), s -> new AtomicInteger())
                .getAndIncrement(), order.size());
        return new Destination(host, target.app(), target.service(), new Rotated(order, start));
    }

    /** The backends not ejected now, or all of them when every one is. */
    private List<Backend> withoutEjected(List<Backend> all) {
        long now = nanoClock.getAsLong();
        List<Backend> healthy = new ArrayList<>(all.size());
        for (Backend b : all) {
            if (!ejected(b, now)) {
                healthy.add(b);
            }
        }
        return healthy.isEmpty() ? all : healthy;
    }

    /** Whether {@code backend} is ejected now, by its address or its host. */
    private boolean ejected(Backend backend, long now) {
        return ejected(backend.address(), now) || ejected(backend.host(), now);
    }

    /** Whether {@code key} (an address, or a host for all its addresses) is ejected now; a lapsed ejection goes. */
    private boolean ejected(String key, long now) {
        Long until = ejectedUntil.get(key);
        if (until == null) {
            return false;
        }
        if (until - now <= 0) {
            ejectedUntil.remove(key, until); // time is up: back in, and the fast path again
            return false;
        }
        return true;
    }

    /**
     * An immutable view of {@code list} starting at {@code start} and wrapping around: the round-robin order
     * without copying the backends for every request.
     */
    static final class Rotated extends AbstractList<Backend> implements RandomAccess {
        private final List<Backend> list;
        private final int start;

        Rotated(List<Backend> list, int start) {
            this.list = list;
            this.start = start;
        }

        @Override
        public Backend get(int index) {
            Objects.checkIndex(index, list.size());
            int i = start + index;
            return list.get(i >= list.size() ? i - list.size() : i);
        }

        @Override
        public int size() {
            return list.size();
        }
    }

    /** Takes a backend out for a while: its connect was refused. */
    public void eject(Backend backend) {
        ejectKey(backend.address());
    }

    /**
     * Takes every backend on {@code backend}'s host out for a while: the host itself does not answer (a connect
     * timed out, or a connection's data went unacknowledged), so none of its instances can; the instances of a
     * machine that lost its power are passed over after the first of them is found out, not one by one.
     */
    public void ejectHost(Backend backend) {
        ejectKey(backend.host());
    }

    private void ejectKey(String key) {
        long now = nanoClock.getAsLong();
        ejectedUntil.values().removeIf(until -> until - now <= 0); // also those of instances gone since
        ejectedUntil.put(key, now + ejectNanos);
    }

    /**
     * Whether a failover should pass over {@code backend} of {@code service}: it is ejected now, or discoverd no
     * longer lists it (the request's own list was taken before).
     */
    public boolean passOver(String service, Backend backend) {
        if (ejected(backend, nanoClock.getAsLong())) {
            return true;
        }
        return !backends.getOrDefault(service, List.of()).contains(backend);
    }

    /** A successful exchange ends an ejection early, its host's too. */
    public void restore(Backend backend) {
        if (!ejectedUntil.isEmpty()) {
            ejectedUntil.remove(backend.address());
            ejectedUntil.remove(backend.host());
        }
    }

    /**
     * The wildcard route that would cover {@code host} (lower case): {@code a.example.com} → {@code *.example.com}.
     * A wildcard stands for exactly one label, as in TLS certificates, and needs two labels after it (the
     * controller refuses {@code *.com}); null when {@code host} has too few labels.
     */
    public static String wildcardOf(String host) {
        int dot = host.indexOf('.');
        if (dot <= 0 || host.indexOf('.', dot + 1) < 0) {
            return null;
        }
        return "*" + host.substring(dot);
    }

    /** {@code Host} header → lower-case host without port; null when blank. */
    static String hostOnly(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        h = colon < 0 ? h : h.substring(0, colon);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
