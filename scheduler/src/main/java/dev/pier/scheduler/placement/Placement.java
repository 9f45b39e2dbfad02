package dev.pier.scheduler.placement;

import dev.pier.api.JobState;
import dev.pier.api.host.VolumeNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The scheduler's decisions as a pure function of (hosts with their jobs, wanted counts): which jobs to
 * start where, which to stop, which are lost, and which cannot be placed. No I/O, deterministic for the
 * same input, so it is unit-tested and benchmarked on simulated clusters.
 *
 * <p>Spread: a new job goes to the live host with the fewest active jobs of its slot, then the least
 * allocated memory, then the lowest id; never over a host's memory. Surplus: jobs not yet up go first,
 * then those on the hosts crowded with the most of their slot, newest first. Resize: jobs running with another
 * memory limit than their slot now wants are replaced one at a time, as a rolling deploy replaces a release's.
 *
 * <p>Volumes: a job of a type with volumes fills a numbered place (0 to count-1) and mounts that place's volumes
 * ({@link VolumeNames}). A place whose volume a host holds is filled on that host only: when the host is lost, full,
 * or another job still uses the volume, the job waits (pending, with the reason) and is never started empty
 * elsewhere. A place with no volume yet is placed by spread, and its volume is made where it lands. Scaling down
 * stops the highest places and keeps their volumes; a job with volumes is stopped before its replacement starts
 * (it cannot share them), and is never moved by {@link Rebalance}.
 */
public final class Placement {
    private Placement() {
    }

    public static List<Action> plan(List<HostState> hosts, List<Want> wants, Predicate<Slot> backingOff) {
        List<Action> actions = new ArrayList<>();
        int n = hosts.size();
        List<HostState> sortedHosts = new ArrayList<>(hosts);
        sortedHosts.sort(Comparator.comparing(HostState::id));
        long[] free = new long[n];
        boolean[] live = new boolean[n];
        Map<Slot, int[]> perHost = new HashMap<>();
        Map<Slot, List<Located>> active = new TreeMap<>();
        Volumes volumes = new Volumes(new HashMap<>(), new HashMap<>());

        for (int h = 0; h < n; h++) {
            HostState host = sortedHosts.get(h);
            live[h] = !host.lost();
            free[h] = host.totalMemoryMb() - host.allocatedMemoryMb();
            for (String volume : host.volumes()) {
                // a volume on a live host wins over a copy of the same name on a lost one
                Integer known = volumes.hosts().get(volume);
                if (known == null || !live[known] && live[h]) {
                    volumes.hosts().put(volume, h);
                }
            }
            for (RunningJob job : host.jobs()) {
                if (!host.lost() && !job.state().isTerminal()) {
                    // a stopping job still holds its volumes until its container has ended
                    job.volumes().forEach(volume -> volumes.users().putIfAbsent(volume, job.id()));
                }
                if (!job.state().isActive()) {
                    continue;
                }
                if (host.lost() && job.volumes().isEmpty()) {
                    actions.add(new Action.Lost(job.id(), host.id(), job.slot()));
                    continue;
                }
                if (host.lost()) {
                    // its data is on that host: it keeps its place (no replacement could start anywhere else),
                    // and runs on when its host returns with it
                    actions.add(new Action.HeldOnLostHost(job.id(), host.id(), job.slot()));
                }
                perHost.computeIfAbsent(job.slot(), s -> new int[n])[h]++;
                active.computeIfAbsent(job.slot(), s -> new ArrayList<>()).add(new Located(job, h, host.id()));
            }
        }

        Map<Slot, Want> wanted = new LinkedHashMap<>();
        wants.stream().sorted(Comparator.comparing(Want::slot)).forEach(w -> wanted.put(w.slot(), w));

        // Jobs of slots no formation wants any more.
        active.forEach((slot, jobs) -> {
            if (!wanted.containsKey(slot)) {
                jobs.forEach(j -> actions.add(new Action.Stop(j.job().id(), j.hostId(), slot, "not in any formation")));
            }
        });

        for (Want want : wanted.values()) {
            Slot slot = want.slot();
            List<Located> jobs = active.getOrDefault(slot, List.of());
            int[] counts = perHost.computeIfAbsent(slot, s -> new int[n]);
            if (want.hasVolumes()) {
                placeWithVolumes(want, jobs, counts, live, free, sortedHosts, volumes, backingOff.test(slot), actions);
                continue;
            }
            boolean resizing = jobs.stream().anyMatch(j -> !j.job().fits(want.memoryMb()));
            // while jobs at another memory limit are replaced, one job more than the count may run
            int diff = want.count() - jobs.size() + (resizing && want.count() > 0 ? 1 : 0);
            List<Located> kept = new ArrayList<>(jobs);
            if (want.count() - jobs.size() > 0) {
                if (backingOff.test(slot)) {
                    actions.add(new Action.Deferred(slot, want.count() - jobs.size()));
                    continue;
                }
                start(want, want.count() - jobs.size(), counts, live, free, sortedHosts, actions);
                continue;
            } else if (diff < 0) {
                List<Located> candidates = new ArrayList<>(jobs);
                for (int stopped = 0; stopped < -diff; stopped++) {
                    candidates.sort(Comparator
                            .comparing((Located j) -> j.job().fits(want.memoryMb()))
                            .thenComparing(j -> j.job().state() == dev.pier.api.JobState.UP)
                            .thenComparing(j -> -counts[j.host()])
                            .thenComparing(j -> j.job().createdAt(), Comparator.reverseOrder())
                            .thenComparing(j -> j.job().id()));
                    Located victim = candidates.remove(0);
                    kept.remove(victim);
                    counts[victim.host()]--;
                    actions.add(new Action.Stop(victim.job().id(), victim.hostId(), slot, "scaled down"));
                }
            }
            resize(want, kept, counts, live, free, sortedHosts, actions, backingOff.test(slot));
        }
        return actions;
    }

    /**
     * Replaces, one at a time, the jobs of a slot that run with another memory limit than it now wants (a
     * {@code scale web=2:512M}): a job with the new limit is started when none is on its way up, and a job with the old
     * one is stopped once the jobs up with the new limit and the old ones left are more than the count. The count
     * never dips below what is wanted while jobs come up.
     */
    private static void resize(Want want, List<Located> kept, int[] counts, boolean[] live, long[] free,
                               List<HostState> sortedHosts, List<Action> actions, boolean backingOff) {
        List<Located> outdated = new ArrayList<>(kept.stream().filter(j -> !j.job().fits(want.memoryMb())).toList());
        if (outdated.isEmpty()) {
            return;
        }
        long fitUp = kept.stream().filter(j -> j.job().fits(want.memoryMb())
                && j.job().state() == dev.pier.api.JobState.UP).count();
        long fitComing = kept.stream().filter(j -> j.job().fits(want.memoryMb())
                && j.job().state() != dev.pier.api.JobState.UP).count();
        if (fitUp + outdated.size() > want.count()) {
            outdated.sort(Comparator.comparing((Located j) -> j.job().state() == dev.pier.api.JobState.UP)
                    .thenComparing(j -> j.job().createdAt()).thenComparing(j -> j.job().id()));
            Located old = outdated.get(0);
            counts[old.host()]--;
            actions.add(new Action.Stop(old.job().id(), old.hostId(), want.slot(), "replaced: its memory limit is now "
                    + want.memoryMb() + " MB"));
        } else if (fitComing == 0 && !backingOff) {
            start(want, 1, counts, live, free, sortedHosts, actions);
        }
    }

    /** Places {@code missing} new jobs of the slot, spread; what fits nowhere is {@link Action.Unplaceable}. */
    private static void start(Want want, int missing, int[] counts, boolean[] live, long[] free,
                              List<HostState> sortedHosts, List<Action> actions) {
        for (int placed = 0; placed < missing; placed++) {
            int best = spread(want, counts, live, free);
            if (best < 0) {
                actions.add(new Action.Unplaceable(want.slot(), missing - placed, noRoom(want, live)));
                return;
            }
            counts[best]++;
            free[best] -= want.memoryMb();
            actions.add(new Action.Start(want.slot(), sortedHosts.get(best).id(), want.memoryMb()));
        }
    }

    private static String noRoom(Want want, boolean[] live) {
        for (boolean isLive : live) {
            if (isLive) {
                return "no host has " + want.memoryMb() + " MB of memory free";
            }
        }
        return "no host is available";
    }

    private record Located(RunningJob job, int host, String hostId) {
    }

    /** Where each volume is (host index) and which active job on a live host mounts it. */
    private record Volumes(Map<String, Integer> hosts, Map<String, String> users) {
    }

    /** The place a job of a type with volumes fills, read from its first volume's name; empty when it has none. */
    static Optional<Integer> indexOf(RunningJob job) {
        if (job.volumes().isEmpty()) {
            return Optional.empty();
        }
        return VolumeNames.owner(job.volumes().get(0))
                .filter(o -> o.app().equals(job.slot().app()) && o.processType().equals(job.slot().processType())
                        && o.index() == 0)
                .map(VolumeNames.Owner::slot);
    }

    /**
     * A slot of a type with volumes: each place 0..count-1 has one job, on the host of its volumes. Surplus (places
     * at or above the count, a job with no place, a second job in a place) is stopped; a job at another memory limit
     * is stopped first and started again at the new one once its volume is free; a missing place is started on its
     * volume's host, or waits for it, or, with no volume yet, goes where spread puts it.
     */
    private static void placeWithVolumes(Want want, List<Located> jobs, int[] counts, boolean[] live, long[] free,
                                         List<HostState> sortedHosts, Volumes volumes, boolean backingOff,
                                         List<Action> actions) {
        Slot slot = want.slot();
        Map<Integer, Located> filled = new TreeMap<>();
        List<Located> ordered = new ArrayList<>(jobs);
        // who keeps a place two jobs claim: an up job before one coming up, then the older
        ordered.sort(Comparator.comparing((Located j) -> j.job().state() != JobState.UP)
                .thenComparing(j -> j.job().createdAt()).thenComparing(j -> j.job().id()));
        for (Located job : ordered) {
            Optional<Integer> index = indexOf(job.job());
            String reason = null;
            if (index.isEmpty()) {
                reason = "it mounts no volume of its process type";
            } else if (index.get() >= want.count()) {
                reason = "scaled down (its volume is kept)";
            } else if (filled.containsKey(index.get())) {
                reason = "job " + filled.get(index.get()).job().id() + " fills its place";
            }
            if (reason != null) {
                counts[job.host()]--;
                actions.add(new Action.Stop(job.job().id(), job.hostId(), slot, reason));
            } else {
                filled.put(index.get(), job);
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < want.count(); i++) {
            if (!filled.containsKey(i)) {
                missing.add(i);
            }
        }
        if (missing.isEmpty()) {
            // all places filled: replace one job at another memory limit, once every job is up (stop first: the
            // replacement needs its volume)
            boolean allUp = filled.values().stream().allMatch(j -> j.job().state() == JobState.UP);
            filled.values().stream().filter(j -> !j.job().fits(want.memoryMb())).findFirst()
                    .filter(j -> allUp && !backingOff).ifPresent(old -> {
                        counts[old.host()]--;
                        actions.add(new Action.Stop(old.job().id(), old.hostId(), slot, "replaced: its memory limit "
                                + "is now " + want.memoryMb() + " MB (stopped first: its replacement needs its volume)"));
                    });
            return;
        }
        if (backingOff) {
            actions.add(new Action.Deferred(slot, missing.size()));
            return;
        }
        List<String> waiting = new ArrayList<>();
        int unplaced = 0;
        for (int index : missing) {
            List<String> names = new ArrayList<>();
            for (int k = 0; k < want.volumes(); k++) {
                names.add(VolumeNames.of(slot.app(), slot.processType(), index, k));
            }
            Optional<String> inUse = names.stream().filter(volumes.users()::containsKey).findFirst();
            Optional<String> held = names.stream().filter(volumes.hosts()::containsKey).findFirst();
            if (inUse.isPresent()) {
                waiting.add("volume " + inUse.get() + " is still used by job " + volumes.users().get(inUse.get()));
                continue;
            }
            if (held.isPresent()) {
                int h = volumes.hosts().get(held.get());
                String hostId = sortedHosts.get(h).id();
                if (!live[h]) {
                    waiting.add("volume " + held.get() + " is on host " + hostId + ", which was lost");
                } else if (free[h] < want.memoryMb()) {
                    waiting.add("host " + hostId + ", which holds volume " + held.get() + ", has " + free[h]
                            + " MB of memory free, not " + want.memoryMb());
                } else {
                    counts[h]++;
                    free[h] -= want.memoryMb();
                    actions.add(new Action.Start(slot, hostId, want.memoryMb(), index));
                }
                continue;
            }
            int best = spread(want, counts, live, free);
            if (best < 0) {
                unplaced++;
                continue;
            }
            counts[best]++;
            free[best] -= want.memoryMb();
            actions.add(new Action.Start(slot, sortedHosts.get(best).id(), want.memoryMb(), index));
        }
        if (!waiting.isEmpty() || unplaced > 0) {
            List<String> reasons = new ArrayList<>();
            if (!waiting.isEmpty()) {
                reasons.add("waiting for its volume: " + String.join("; ", waiting));
            }
            if (unplaced > 0) {
                reasons.add(noRoom(want, live));
            }
            actions.add(new Action.Unplaceable(slot, waiting.size() + unplaced, String.join("; ", reasons)));
        }
    }

    /** The live host with room for one more job of the want with the fewest of its slot, then the most free; -1. */
    private static int spread(Want want, int[] counts, boolean[] live, long[] free) {
        int best = -1;
        for (int h = 0; h < live.length; h++) {
            if (!live[h] || free[h] < want.memoryMb()) {
                continue;
            }
            if (best < 0 || counts[h] < counts[best] || counts[h] == counts[best] && free[h] > free[best]) {
                best = h;
            }
        }
        return best;
    }
}
