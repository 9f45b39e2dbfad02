package dev.pier.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static final UUID RELEASE = UUID.randomUUID();
    private static final Slot WEB = new Slot("shop", RELEASE, "web");
    private static final Slot WORKER = new Slot("shop", RELEASE, "worker");
    private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");

    private static HostState host(String id, RunningJob... jobs) {
        return new HostState(id, false, 4096, 256L * jobs.length, List.of(jobs));
    }

    private static RunningJob job(String id, Slot slot, JobState state) {
        return new RunningJob(id, slot, state, T0.plusSeconds(id.hashCode() & 0xff));
    }

    private static Map<String, Long> startsPerHost(List<Action> actions) {
        return actions.stream().filter(a -> a instanceof Action.Start).map(a -> ((Action.Start) a).hostId())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void scalingUpFromNothingSpreadsEvenly() {
        List<Action> actions = Placement.plan(List.of(host("h1"), host("h2"), host("h3")),
                List.of(new Want(WEB, 6, 256)), s -> false);
        assertThat(startsPerHost(actions)).containsOnly(Map.entry("h1", 2L), Map.entry("h2", 2L), Map.entry("h3", 2L));
    }

    @Test
    void newJobsGoWhereTheirSlotIsThinnest() {
        List<HostState> hosts = List.of(
                host("h1", job("a", WEB, JobState.UP), job("b", WEB, JobState.UP)),
                host("h2", job("c", WEB, JobState.UP)),
                host("h3"));
        List<Action> actions = Placement.plan(hosts, List.of(new Want(WEB, 5, 256)), s -> false);
        assertThat(startsPerHost(actions)).containsOnly(Map.entry("h3", 1L), Map.entry("h2", 1L));
    }

    @Test
    void aHostIsNeverFilledOverItsMemoryAndWhatFitsNowhereIsReported() {
        List<HostState> hosts = List.of(new HostState("small", false, 512, 0, List.of()),
                new HostState("full", false, 1024, 1024, List.of()));
        List<Action> actions = Placement.plan(hosts, List.of(new Want(WEB, 3, 256)), s -> false);
        assertThat(startsPerHost(actions)).containsOnly(Map.entry("small", 2L));
        assertThat(actions).contains(new Action.Unplaceable(WEB, 1, "no host has 256 MB of memory free"));
    }

    @Test
    void scalingDownStopsJobsNotYetUpThenFromCrowdedHosts() {
        List<HostState> hosts = List.of(
                host("h1", job("a", WEB, JobState.UP), job("b", WEB, JobState.UP), job("c", WEB, JobState.UP)),
                host("h2", job("d", WEB, JobState.STARTING), job("e", WEB, JobState.UP)));
        List<Action> actions = Placement.plan(hosts, List.of(new Want(WEB, 3, 256)), s -> false);
        List<String> stopped = actions.stream().map(a -> ((Action.Stop) a).jobId()).toList();
        assertThat(stopped).hasSize(2).contains("d");
        assertThat(stopped).filteredOn(id -> List.of("a", "b", "c").contains(id)).hasSize(1);
    }

    @Test
    void endedJobsDoNotCountAndUnwantedSlotsAreStopped() {
        Slot old = new Slot("shop", UUID.randomUUID(), "web");
        List<HostState> hosts = List.of(host("h1", job("a", WEB, JobState.CRASHED), job("b", old, JobState.UP),
                job("c", WORKER, JobState.STOPPING)));
        List<Action> actions = Placement.plan(hosts, List.of(new Want(WEB, 1, 256)), s -> false);
        assertThat(actions).containsExactlyInAnyOrder(new Action.Stop("b", "h1", old, "not in any formation"),
                new Action.Start(WEB, "h1", 256));
    }

    @Test
    void jobsOfALostHostAreReportedAndReplacedElsewhere() {
        List<HostState> hosts = List.of(
                new HostState("gone", true, 4096, 512, List.of(job("a", WEB, JobState.UP), job("b", WEB, JobState.UP))),
                host("h2", job("c", WEB, JobState.UP)), host("h3"));
        List<Action> actions = Placement.plan(hosts, List.of(new Want(WEB, 3, 256)), s -> false);
        assertThat(actions).filteredOn(a -> a instanceof Action.Lost).hasSize(2);
        assertThat(startsPerHost(actions)).containsOnly(Map.entry("h3", 1L), Map.entry("h2", 1L));
    }

    @Test
    void aSlotInBackOffWaits() {
        List<Action> actions = Placement.plan(List.of(host("h1")), List.of(new Want(WEB, 2, 256), new Want(WORKER, 1, 256)),
                WEB::equals);
        assertThat(actions).containsExactly(new Action.Deferred(WEB, 2), new Action.Start(WORKER, "h1", 256));
    }

    @Test
    void theSameInputGivesTheSameDecisions() {
        List<HostState> hosts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            hosts.add(host("h" + i));
        }
        List<Want> wants = List.of(new Want(WEB, 17, 128), new Want(WORKER, 5, 512));
        List<HostState> reversed = new ArrayList<>(hosts);
        java.util.Collections.reverse(reversed);
        assertThat(Placement.plan(hosts, wants, s -> false)).isEqualTo(Placement.plan(reversed, wants, s -> false));
    }

    @Test
    void restartsBackOffByDoublingUpToFiveMinutesAndResetAfterTenMinutesUp() {
        RestartBackoff backoff = RestartBackoff.none();
        backoff = backoff.afterCrash(T0, Duration.ofSeconds(1));
        assertThat(backoff.notBefore()).as("first crash: at once").isEqualTo(T0);
        backoff = backoff.afterCrash(T0, null);
        assertThat(backoff.notBefore()).isEqualTo(T0.plusSeconds(1));
        backoff = backoff.afterCrash(T0, null);
        assertThat(backoff.notBefore()).isEqualTo(T0.plusSeconds(2));
        assertThat(backoff.isWaiting(T0.plusSeconds(1))).isTrue();
        assertThat(backoff.isWaiting(T0.plusSeconds(2))).isFalse();
        for (int i = 0; i < 30; i++) {
            backoff = backoff.afterCrash(T0, Duration.ofSeconds(5));
        }
        assertThat(backoff.notBefore()).isEqualTo(T0.plus(RestartBackoff.CAP));
        backoff = backoff.afterCrash(T0, Duration.ofMinutes(10));
        assertThat(backoff.consecutiveCrashes()).isEqualTo(1);
        assertThat(backoff.notBefore()).isEqualTo(T0);
        assertThat(RestartBackoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RestartBackoff.delayAfter(9)).isEqualTo(Duration.ofSeconds(128));
        assertThat(RestartBackoff.delayAfter(10)).isEqualTo(Duration.ofSeconds(256));
        assertThat(RestartBackoff.delayAfter(11)).isEqualTo(RestartBackoff.CAP);
    }
}
