package dev.pier.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.JobState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RebalanceTest {
    private static final Slot WEB = new Slot("shop", UUID.randomUUID(), "web");
    private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");

    private static RunningJob job(String id, JobState state, int age) {
        return new RunningJob(id, WEB, state, T0.plusSeconds(age));
    }

    private static HostState host(String id, RunningJob... jobs) {
        return new HostState(id, false, 4096, 256L * jobs.length, List.of(jobs));
    }

    @Test
    void aCrowdedSlotMovesItsNewestJobToTheThinnestHostWithRoom() {
        List<HostState> hosts = List.of(host("h1", job("a", JobState.UP, 1), job("b", JobState.UP, 2)), host("h2"),
                host("h3", job("c", JobState.UP, 3)));
        List<Action> moves = Rebalance.moves(hosts, List.of(new Want(WEB, 3, 256)), List.of(), s -> false);
        assertThat(moves).containsExactly(new Action.Start(WEB, "h2", 256), new Action.Stop("b", "h1", WEB,
                "moved to host h2 (host h1 ran 2 of its kind, host h2 0)"));
    }

    @Test
    void nothingMovesWhileTheSlotIsNotSettledOrTheSpreadIsEvenEnough() {
        Want three = new Want(WEB, 3, 256);
        List<HostState> starting = List.of(host("h1", job("a", JobState.UP, 1), job("b", JobState.STARTING, 2)),
                host("h2"), host("h3", job("c", JobState.UP, 3)));
        assertThat(Rebalance.moves(starting, List.of(three), List.of(), s -> false)).as("a job not up yet").isEmpty();
        List<HostState> even = List.of(host("h1", job("a", JobState.UP, 1), job("b", JobState.UP, 2)),
                host("h2", job("c", JobState.UP, 3)));
        assertThat(Rebalance.moves(even, List.of(three), List.of(), s -> false)).as("2/1 is as even as 3 gets")
                .isEmpty();
        List<HostState> crowded = List.of(host("h1", job("a", JobState.UP, 1), job("b", JobState.UP, 2)), host("h2"));
        assertThat(Rebalance.moves(crowded, List.of(new Want(WEB, 3, 256)), List.of(), s -> false))
                .as("a scale in progress is placement's").isEmpty();
        assertThat(Rebalance.moves(crowded, List.of(new Want(WEB, 2, 256)), List.of(), WEB::equals))
                .as("backing off").isEmpty();
        List<HostState> full = List.of(host("h1", job("a", JobState.UP, 1), job("b", JobState.UP, 2)),
                new HostState("h2", false, 512, 512, List.of()));
        assertThat(Rebalance.moves(full, List.of(new Want(WEB, 2, 256)), List.of(), s -> false))
                .as("no room on the thin host").isEmpty();
        List<HostState> lost = List.of(host("h1", job("a", JobState.UP, 1), job("b", JobState.UP, 2)),
                new HostState("h2", true, 4096, 0, List.of()));
        assertThat(Rebalance.moves(lost, List.of(new Want(WEB, 2, 256)), List.of(), s -> false))
                .as("a lost host takes nothing").isEmpty();
    }
}
