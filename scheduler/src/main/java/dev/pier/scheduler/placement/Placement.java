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
 * then those on the hosts crowded with the most of their slot, newest first. Resize: jobs running with another
 * memory limit than their slot now wants are replaced one at a time, as a rolling deploy replaces a release's.
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
            int[] counts = perHost.computeIfAbsent(slot, s -> new int[n]);
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
        int n = live.length;
        for (int placed = 0; placed < missing; placed++) {
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
}
