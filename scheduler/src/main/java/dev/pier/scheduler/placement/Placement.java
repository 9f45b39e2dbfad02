package dev.pier.scheduler.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The scheduler's decisions as a pure function of (hosts with their jobs, wanted counts): which jobs to
 * start where, which to stop, which are lost, and which cannot be placed. No I/O, deterministic for the
 * same input, so it is unit-tested and benchmarked on simulated clusters.
 *
 * <p>Spread: a new job goes to the live host with the fewest active jobs of its slot, then the least
 * allocated memory, then the lowest id; never over a host's memory. Surplus: jobs not yet up go first,
 * then those on the hosts crowded with the most of their slot, newest first.
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

        for (int h = 0; h < n; h++) {
            HostState host = sortedHosts.get(h);
            live[h] = !host.lost();
            free[h] = host.totalMemoryMb() - host.allocatedMemoryMb();
            for (RunningJob job : host.jobs()) {
                if (!job.state().isActive()) {
                    continue;
                }
                if (host.lost()) {
                    actions.add(new Action.Lost(job.id(), host.id(), job.slot()));
                    continue;
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
            int diff = want.count() - jobs.size();
            if (diff > 0) {
                if (backingOff.test(slot)) {
                    actions.add(new Action.Deferred(slot, diff));
                    continue;
                }
                int[] counts = perHost.computeIfAbsent(slot, s -> new int[n]);
                for (int placed = 0; placed < diff; placed++) {
                    int best = -1;
                    for (int h = 0; h < n; h++) {
                        if (!live[h] || free[h] < want.memoryMb()) {
                            continue;
                        }
                        if (best < 0 || counts[h] < counts[best] || counts[h] == counts[best] && free[h] > free[best]) {
                            best = h;
                        }
                    }
                    if (best < 0) {
                        actions.add(new Action.Unplaceable(slot, diff - placed, noRoom(want, live)));
                        break;
                    }
                    counts[best]++;
                    free[best] -= want.memoryMb();
                    actions.add(new Action.Start(slot, sortedHosts.get(best).id(), want.memoryMb()));
                }
            } else if (diff < 0) {
                int[] counts = perHost.get(slot);
                List<Located> candidates = new ArrayList<>(jobs);
                for (int stopped = 0; stopped < -diff; stopped++) {
                    candidates.sort(Comparator
                            .comparing((Located j) -> j.job().state() == dev.pier.api.JobState.UP)
                            .thenComparing(j -> -counts[j.host()])
                            .thenComparing(j -> j.job().createdAt(), Comparator.reverseOrder())
                            .thenComparing(j -> j.job().id()));
                    Located victim = candidates.remove(0);
                    counts[victim.host()]--;
                    actions.add(new Action.Stop(victim.job().id(), victim.hostId(), slot, "scaled down"));
                }
            }
        }
        return actions;
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
}
