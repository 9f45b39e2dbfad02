package dev.pier.discoverd.watch;

import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.ServiceEvent;
import dev.pier.discoverd.registry.Keys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What discoverd knows of one service: its instances and its election candidates. Each change answers the
 * watch events it causes ({@code up}, {@code update}, {@code down}, and {@code leader} when the lowest-index
 * candidate changes). An instance missing from a resync (etcd came back without it: its lease expired while
 * discoverd could not renew it) is held, still listed, until its deadline (one lease period later): its owner
 * heartbeats again within it, and watchers such as routers never see it leave. One not back by then goes
 * {@code down} ({@link #expire}). Pure; not thread-safe (the {@link Mirror} serialises access).
 */
public final class ServiceView {
    private final String service;
    private final Map<String, Instance> instances = new HashMap<>();
    private final Map<String, Instance> candidates = new HashMap<>();
    /** Instances missing from the last resync, listed until their deadline. */
    private final Map<String, java.time.Instant> held = new HashMap<>();

    public ServiceView(String service) {
        this.service = service;
    }

    public boolean isEmpty() {
        return instances.isEmpty() && candidates.isEmpty();
    }

    public List<Instance> instances() {
        return instances.values().stream().sorted(Comparator.comparingLong(Instance::index)).toList();
    }

    public Instance leader() {
        return candidates.values().stream().min(Comparator.comparingLong(Instance::index)).orElse(null);
    }

    public ServiceEvent snapshot(long revision) {
        return ServiceEvent.current(service, instances(), leader(), revision);
    }

    public List<ServiceEvent> put(Keys.Kind kind, Instance instance, long revision) {
        if (kind == Keys.Kind.CANDIDATE) {
            return changeCandidates(() -> candidates.put(instance.id(), instance), revision);
        }
        held.remove(instance.id());
        Instance before = instances.put(instance.id(), instance);
        if (before == null) {
            return List.of(ServiceEvent.change(ServiceEvent.Kind.UP, instance, revision));
        }
        if (before.equals(instance)) {
            return List.of();
        }
        return List.of(ServiceEvent.change(ServiceEvent.Kind.UPDATE, instance, revision));
    }

    public List<ServiceEvent> delete(Keys.Kind kind, String id, long revision) {
        if (kind == Keys.Kind.CANDIDATE) {
            return changeCandidates(() -> candidates.remove(id), revision);
        }
        held.remove(id);
        Instance before = instances.remove(id);
        return before == null ? List.of() : List.of(ServiceEvent.change(ServiceEvent.Kind.DOWN, before, revision));
    }

    /** The instances held since a resync and their deadlines. */
    public Map<String, java.time.Instant> held() {
        return Map.copyOf(held);
    }

    /** Instances held past their deadline (their owners did not register again in time) go down. */
    public List<ServiceEvent> expire(java.time.Instant now, long revision) {
        List<ServiceEvent> events = new ArrayList<>();
        for (Map.Entry<String, java.time.Instant> hold : List.copyOf(held.entrySet())) {
            if (!hold.getValue().isAfter(now)) {
                events.addAll(delete(Keys.Kind.INSTANCE, hold.getKey(), revision));
            }
        }
        return events;
    }

    /** Replaces everything with a fresh listing and answers the differences as events (nothing is held). */
    public List<ServiceEvent> replace(List<Instance> freshInstances, List<Instance> freshCandidates, long revision) {
        return replace(freshInstances, freshCandidates, revision, Map.of());
    }

    /**
     * Replaces everything with a fresh listing (after a resync) and answers the differences as events; an
     * instance missing from it that {@code holdUntil} gives a deadline is held until then instead of going down.
     */
    public List<ServiceEvent> replace(List<Instance> freshInstances, List<Instance> freshCandidates, long revision,
                                      Map<String, java.time.Instant> holdUntil) {
        List<ServiceEvent> events = new ArrayList<>();
        Map<String, Instance> fresh = new HashMap<>();
        freshInstances.forEach(instance -> fresh.put(instance.id(), instance));
        for (Instance old : List.copyOf(instances.values())) {
            if (!fresh.containsKey(old.id())) {
                java.time.Instant until = holdUntil.get(old.id());
                if (until != null) {
                    held.putIfAbsent(old.id(), until);
                } else {
                    events.addAll(delete(Keys.Kind.INSTANCE, old.id(), revision));
                }
            }
        }
        freshInstances.stream().sorted(Comparator.comparingLong(Instance::index))
                .forEach(instance -> events.addAll(put(Keys.Kind.INSTANCE, instance, revision)));
        events.addAll(changeCandidates(() -> {
            candidates.clear();
            freshCandidates.forEach(candidate -> candidates.put(candidate.id(), candidate));
        }, revision));
        return events;
    }

    private List<ServiceEvent> changeCandidates(Runnable change, long revision) {
        Instance before = leader();
        change.run();
        Instance after = leader();
        if (Objects.equals(before, after)) {
            return List.of();
        }
        return List.of(ServiceEvent.leaderChanged(service, after, revision));
    }
}
