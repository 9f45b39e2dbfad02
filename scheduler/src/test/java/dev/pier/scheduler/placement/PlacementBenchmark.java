package dev.pier.scheduler.placement;

import dev.pier.api.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Placement decisions per second of the pure function on simulated clusters: H hosts already running
 * 100,000 jobs (2,000 slots of 50), asked to add 10 jobs to each slot (20,000 placements). Run by
 * bench/scheduler/run; not a test.
 */
public final class PlacementBenchmark {
    private PlacementBenchmark() {
    }

    public static void main(String[] args) {
        System.out.printf("| %-8s | %-13s | %-10s | %-12s | %-14s |%n", "hosts", "existing jobs", "placements",
                "median ms", "decisions/s");
        System.out.println("|----------|---------------|------------|--------------|----------------|");
        for (int hosts : new int[] {1_000, 10_000}) {
            run(hosts, 2_000, 50, 10);
        }
    }

    private static void run(int hostCount, int slots, int perSlot, int added) {
        List<Slot> slotList = new ArrayList<>();
        for (int s = 0; s < slots; s++) {
            slotList.add(new Slot("app-" + s, UUID.randomUUID(), "web"));
        }
        List<List<RunningJob>> jobsPerHost = new ArrayList<>();
        for (int h = 0; h < hostCount; h++) {
            jobsPerHost.add(new ArrayList<>());
        }
        int next = 0;
        Instant now = Instant.now();
        for (Slot slot : slotList) {
            for (int i = 0; i < perSlot; i++) {
                jobsPerHost.get(next++ % hostCount).add(new RunningJob("j" + next, slot, JobState.UP, now));
            }
        }
        List<HostState> hosts = new ArrayList<>();
        for (int h = 0; h < hostCount; h++) {
            List<RunningJob> jobs = jobsPerHost.get(h);
            hosts.add(new HostState(String.format("host-%05d", h), false, 1_000_000, 128L * jobs.size(), jobs));
        }
        List<Want> wants = slotList.stream().map(s -> new Want(s, perSlot + added, 128)).toList();
        int placements = 0;
        double[] millis = new double[7];
        for (int round = 0; round < 3; round++) { // warm-up
            Placement.plan(hosts, wants, s -> false);
        }
        for (int round = 0; round < millis.length; round++) {
            long start = System.nanoTime();
            List<Action> actions = Placement.plan(hosts, wants, s -> false);
            millis[round] = (System.nanoTime() - start) / 1e6;
            placements = (int) actions.stream().filter(a -> a instanceof Action.Start).count();
        }
        Arrays.sort(millis);
        double median = millis[millis.length / 2];
        System.out.printf("| %-8d | %-13d | %-10d | %12.1f | %14.0f |%n", hostCount, slots * perSlot, placements, median,
                placements / (median / 1000));
    }
}
