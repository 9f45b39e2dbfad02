package dev.pier.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Placement of jobs whose process type has volumes: each numbered place goes where its volume is, or waits. */
class PlacementVolumesTest {
    private static final UUID V1 = UUID.randomUUID();
    private static final UUID V2 = UUID.randomUUID();
    private static final Slot DB = new Slot("shop", V1, "db");
    private static final Slot DB_V2 = new Slot("shop", V2, "db");
    private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");

    private static HostState host(String id, Set<String> volumes, RunningJob... jobs) {
        return new HostState(id, false, 4096, 256L * jobs.length, List.of(jobs), volumes);
    }

    private static HostState lost(String id, Set<String> volumes, RunningJob... jobs) {
        return new HostState(id, true, 4096, 0, List.of(jobs), volumes);
    }

    private static RunningJob db(String id, Slot slot, int index, JobState state, int ageSeconds) {
        return new RunningJob(id, slot, state, T0.minusSeconds(ageSeconds), 256, List.of("shop.db." + index));
    }

    private static Want want(int count) {
        return new Want(DB, count, 256, 1);
    }

    private static List<Action.Start> starts(List<Action> actions) {
        return actions.stream().filter(a -> a instanceof Action.Start).map(a -> (Action.Start) a).toList();
    }

    @Test
    void placesWithoutAVolumeYetAreSpreadAndNumbered() {
        List<Action> actions = Placement.plan(List.of(host("h1", Set.of()), host("h2", Set.of())), List.of(want(2)),
                s -> false);
        assertThat(starts(actions)).extracting(Action.Start::index).containsExactly(0, 1);
        assertThat(starts(actions)).extracting(Action.Start::hostId).containsExactlyInAnyOrder("h1", "h2");
    }

    @Test
    void aPlaceGoesToTheHostThatHoldsItsVolumeEvenWhenAnotherIsEmptier() {
        List<HostState> hosts = List.of(host("h1", Set.of()), host("h2", Set.of("shop.db.0"),
                new RunningJob("x", new Slot("other", V1, "web"), JobState.UP, T0)));
        List<Action> actions = Placement.plan(hosts, List.of(want(1)), s -> false);
        assertThat(starts(actions)).containsExactly(new Action.Start(DB, "h2", 256, 0));
    }

    /**
     * The add-on e2e suite saw a database job's host agent away past its lease: the job was ended as lost, its
     * replacement waited for the volume, and when the host came back the still-running job was stopped as a phantom,
     * so the database restarted. A job with volumes on a lost host keeps its place instead: nothing is started
     * elsewhere, nothing waits, and the job is counted again when its host returns.
     */
    @Test
    void aJobWithAVolumeOnALostHostKeepsItsPlaceAndNothingIsStartedElsewhere() {
        List<HostState> hosts = List.of(host("h1", Set.of()),
                lost("h2", Set.of("shop.db.0"), db("j0", DB, 0, JobState.UP, 60)));
        List<Action> actions = Placement.plan(hosts, List.of(want(1)), s -> false);
        assertThat(starts(actions)).isEmpty();
        assertThat(actions).contains(new Action.HeldOnLostHost("j0", "h2", DB));
        assertThat(actions).noneMatch(a -> a instanceof Action.Lost || a instanceof Action.Unplaceable
                || a instanceof Action.Stop);
    }

    @Test
    void aPlaceWhoseVolumeIsOnALostHostWithoutItsJobWaitsAndIsNotStartedElsewhere() {
        List<HostState> hosts = List.of(host("h1", Set.of()), lost("h2", Set.of("shop.db.0")));
        List<Action> actions = Placement.plan(hosts, List.of(want(1)), s -> false);
        assertThat(starts(actions)).isEmpty();
        assertThat(actions).filteredOn(a -> a instanceof Action.Unplaceable).singleElement()
                .isEqualTo(new Action.Unplaceable(DB, 1,
                        "waiting for its volume: volume shop.db.0 is on host h2, which was lost"));
    }

    @Test
    void whenTheLostHostIsBackThePlaceIsFilledThere() {
        List<HostState> hosts = List.of(host("h1", Set.of()), host("h2", Set.of("shop.db.0")));
        assertThat(starts(Placement.plan(hosts, List.of(want(1)), s -> false)))
                .containsExactly(new Action.Start(DB, "h2", 256, 0));
    }

    @Test
    void aPlaceWaitsWhileAJobOfAnotherReleaseStillUsesItsVolume() {
        List<HostState> hosts = List.of(host("h1", Set.of("shop.db.0"), db("old", DB, 0, JobState.STOPPING, 60)));
        List<Action> actions = Placement.plan(hosts, List.of(new Want(DB_V2, 1, 256, 1)), s -> false);
        assertThat(starts(actions)).isEmpty();
        assertThat(actions).contains(new Action.Unplaceable(DB_V2, 1,
                "waiting for its volume: volume shop.db.0 is still used by job old"));
    }

    @Test
    void aFullHostThatHoldsTheVolumeMakesThePlaceWaitNamingTheMemory() {
        HostState full = new HostState("h1", false, 512, 400, List.of(), Set.of("shop.db.0"));
        List<Action> actions = Placement.plan(List.of(full, host("h2", Set.of())), List.of(want(1)), s -> false);
        assertThat(starts(actions)).isEmpty();
        assertThat(actions).contains(new Action.Unplaceable(DB, 1,
                "waiting for its volume: host h1, which holds volume shop.db.0, has 112 MB of memory free, not 256"));
    }

    @Test
    void scalingDownStopsTheHighestPlacesWhateverTheirAgeAndKeepsTheirVolumes() {
        List<HostState> hosts = List.of(
                host("h1", Set.of("shop.db.0", "shop.db.2"), db("j0", DB, 0, JobState.UP, 5),
                        db("j2", DB, 2, JobState.UP, 500)),
                host("h2", Set.of("shop.db.1"), db("j1", DB, 1, JobState.UP, 50)));
        List<Action> actions = Placement.plan(hosts, List.of(want(1)), s -> false);
        assertThat(actions).containsExactlyInAnyOrder(
                new Action.Stop("j1", "h2", DB, "scaled down (its volume is kept)"),
                new Action.Stop("j2", "h1", DB, "scaled down (its volume is kept)"));
    }

    @Test
    void scalingUpAgainReusesTheKeptVolumesOnTheirHosts() {
        List<HostState> hosts = List.of(host("h1", Set.of("shop.db.0", "shop.db.2"), db("j0", DB, 0, JobState.UP, 5)),
                host("h2", Set.of("shop.db.1")), host("h3", Set.of()));
        List<Action> actions = Placement.plan(hosts, List.of(want(4)), s -> false);
        assertThat(starts(actions)).containsExactlyInAnyOrder(new Action.Start(DB, "h2", 256, 1),
                new Action.Start(DB, "h1", 256, 2), new Action.Start(DB, "h3", 256, 3));
    }

    @Test
    void aSecondJobInOnePlaceIsStoppedAndTheUpOneKept() {
        List<HostState> hosts = List.of(host("h1", Set.of("shop.db.0"), db("up", DB, 0, JobState.UP, 5),
                db("late", DB, 0, JobState.STARTING, 500)));
        assertThat(Placement.plan(hosts, List.of(want(1)), s -> false))
                .containsExactly(new Action.Stop("late", "h1", DB, "job up fills its place"));
    }

    @Test
    void aNewMemoryLimitStopsTheJobFirstOnceAllAreUp() {
        List<HostState> hosts = List.of(host("h1", Set.of("shop.db.0"), db("j0", DB, 0, JobState.UP, 5)));
        List<Action> actions = Placement.plan(hosts, List.of(new Want(DB, 1, 512, 1)), s -> false);
        assertThat(actions).singleElement().isInstanceOfSatisfying(Action.Stop.class,
                stop -> assertThat(stop.reason()).startsWith("replaced: its memory limit is now 512 MB"));
    }

    @Test
    void aPlaceBackingOffIsDeferred() {
        List<Action> actions = Placement.plan(List.of(host("h1", Set.of("shop.db.0"))), List.of(want(1)), s -> true);
        assertThat(actions).containsExactly(new Action.Deferred(DB, 1));
    }

    @Test
    void jobsWithVolumesAreNeverRebalanced() {
        List<HostState> hosts = List.of(
                host("h1", Set.of("shop.db.0", "shop.db.1", "shop.db.2"), db("j0", DB, 0, JobState.UP, 5),
                        db("j1", DB, 1, JobState.UP, 5), db("j2", DB, 2, JobState.UP, 5)),
                host("h2", Set.of()));
        List<Action> planned = Placement.plan(hosts, List.of(want(3)), s -> false);
        assertThat(planned).isEmpty();
        assertThat(Rebalance.moves(hosts, List.of(want(3)), planned, s -> false)).isEmpty();
    }
}
