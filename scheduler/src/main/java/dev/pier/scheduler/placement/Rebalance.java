package dev.pier.scheduler.placement;

import dev.pier.api.JobState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Evens out a slot whose jobs ended up crowded, e.g. after a lost host came back or a full host freed memory:
 * when a slot has exactly its wanted count, every job up, and one live host runs at least two more of its jobs
 * than another host that has room, one job moves: a new one starts on the thinner host and the newest job of the
 * crowded one stops (it drains first), in the same pass. One move per slot per pass, so a slot is evened out
 * over a few passes, each after its jobs are up again. Jobs with volumes never move (their data is on their host).
 * Pure and deterministic, like {@link Placement}.
 */
public final class Rebalance {
    private Rebalance() {
    }

    /**
     * The moves for {@code hosts} and {@code wants}, after {@code planned} (this pass's placement, whose starts
     * take memory first); slots backing off are left alone.
     */
    public static List<Action> moves(List<HostState> hosts, List<Want> wants, List<Action> planned,
                                     Predicate<Slot> backingOff) {
        List<HostState> sorted = new ArrayList<>(hosts);
        sorted.sort(Comparator.comparing(HostState::id));
        Map<String, Long> free = new HashMap<>();
        for (HostState host : sorted) {
            free.put(host.id(), host.totalMemoryMb() - host.allocatedMemoryMb());
        }
        for (Action action : planned) {
            if (action instanceof Action.Start start) {
                free.merge(start.hostId(), (long) -start.memoryMb(), Long::sum);
            }
        }
        List<Action> moves = new ArrayList<>();
        wants.stream().sorted(Comparator.comparing(Want::slot)).forEach(want -> {
            if (want.count() < 2 || want.hasVolumes() || backingOff.test(want.slot())) {
                return;
            }
            int total = 0;
            boolean allUp = true;
            Map<String, List<RunningJob>> perHost = new HashMap<>();
            for (HostState host : sorted) {
                if (host.lost()) {
                    continue;
                }
                for (RunningJob job : host.jobs()) {
                    if (job.slot().equals(want.slot()) && job.state().isActive()) {
                        total++;
                        allUp &= job.state() == JobState.UP;
                        perHost.computeIfAbsent(host.id(), h -> new ArrayList<>()).add(job);
                    }
                }
            }
            if (total != want.count() || !allUp) {
                return;
            }
            HostState crowded = null;
            HostState thinnest = null;
            for (HostState host : sorted) {
                if (host.lost()) {
                    continue;
                }
                int count = perHost.getOrDefault(host.id(), List.of()).size();
                if (crowded == null || count > perHost.getOrDefault(crowded.id(), List.of()).size()) {
                    crowded = host;
                }
                if (free.get(host.id()) >= want.memoryMb() && (thinnest == null
                        || count < perHost.getOrDefault(thinnest.id(), List.of()).size()
                        || count == perHost.getOrDefault(thinnest.id(), List.of()).size()
                        && free.get(host.id()) > free.get(thinnest.id()))) {
                    thinnest = host;
                }
            }
            if (crowded == null || thinnest == null) {
                return;
            }
            List<RunningJob> crowdedJobs = perHost.getOrDefault(crowded.id(), List.of());
            int thinCount = perHost.getOrDefault(thinnest.id(), List.of()).size();
            if (crowdedJobs.size() - thinCount < 2) {
                return;
            }
            RunningJob newest = crowdedJobs.stream().max(Comparator.comparing(RunningJob::createdAt)
                    .thenComparing(RunningJob::id)).orElseThrow();
            free.merge(thinnest.id(), (long) -want.memoryMb(), Long::sum);
            moves.add(new Action.Start(want.slot(), thinnest.id(), want.memoryMb()));
            moves.add(new Action.Stop(newest.id(), crowded.id(), want.slot(), "moved to host " + thinnest.id()
                    + " (host " + crowded.id() + " ran " + crowdedJobs.size() + " of its kind, host " + thinnest.id()
                    + " " + thinCount + ")"));
        });
        return moves;
    }
}
