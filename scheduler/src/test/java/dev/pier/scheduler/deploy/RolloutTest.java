package dev.pier.scheduler.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.DeployStrategy;
import dev.pier.scheduler.deploy.Rollout.Tally;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutTest {

    /** Plays a deployment to its end with every new job coming up at once; returns the counts after each step. */
    private static List<String> play(DeployStrategy strategy, Map<String, Integer> target, Map<String, Integer> old) {
        Map<String, Integer> oldNow = new HashMap<>(old);
        Map<String, Integer> newNow = new HashMap<>();
        List<String> trace = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, Tally> tallies = new HashMap<>();
            newNow.forEach((type, count) -> tallies.put(type, new Tally(count, 0, null)));
            Rollout.Step step = Rollout.next(strategy, target, oldNow, newNow, tallies, false);
            if (step instanceof Rollout.Complete) {
                return trace;
            }
            Rollout.Scale scale = (Rollout.Scale) step;
            newNow.putAll(scale.newCounts());
            oldNow.putAll(scale.oldCounts());
            trace.add("new" + new java.util.TreeMap<>(newNow) + " old" + new java.util.TreeMap<>(oldNow));
            // a step that only stops old jobs says whether it is the last one (new jobs must come up first)
            Map<String, Tally> after = new HashMap<>();
            newNow.forEach((type, count) -> after.put(type, new Tally(count, 0, null)));
            boolean complete = Rollout.next(strategy, target, oldNow, newNow, after, false) instanceof Rollout.Complete;
            assertThat(scale.finishes()).as("finishes after " + trace)
                    .isEqualTo(complete && scale.newCounts().isEmpty());
        }
        throw new AssertionError("no end: " + trace);
    }

    @Test
    void oneByOneStartsOneNewThenStopsOneOldAndNeverDropsBelowTheTarget() {
        List<String> trace = play(DeployStrategy.ONE_BY_ONE, Map.of("web", 3), Map.of("web", 3));
        assertThat(trace).containsExactly(
                "new{web=1} old{web=3}", "new{web=1} old{web=2}",
                "new{web=2} old{web=2}", "new{web=2} old{web=1}",
                "new{web=3} old{web=1}", "new{web=3} old{web=0}");
    }

    @Test
    void oneByOneGoesTypeByTypeAndHandlesTypesThatComeAndGo() {
        List<String> trace = play(DeployStrategy.ONE_BY_ONE, Map.of("web", 1, "worker", 1), Map.of("web", 1, "clock", 1));
        assertThat(trace).containsExactly(
                "new{web=0} old{clock=0, web=1}".replace("new{web=0} ", "new{} "),
                "new{web=1} old{clock=0, web=1}", "new{web=1} old{clock=0, web=0}",
                "new{web=1, worker=1} old{clock=0, web=0}");
    }

    @Test
    void allAtOnceStartsEverythingThenStopsEverything() {
        List<String> trace = play(DeployStrategy.ALL_AT_ONCE, Map.of("web", 2, "worker", 1), Map.of("web", 2, "worker", 1));
        assertThat(trace).containsExactly("new{web=2, worker=1} old{web=2, worker=1}", "new{web=2, worker=1} old{web=0, worker=0}");
    }

    @Test
    void theStepThatStopsTheLastOldJobFinishesTheDeploymentButOnlyOnceTheNewJobsAreUp() {
        Map<String, Tally> up = Map.of("web", new Tally(2, 0, null));
        assertThat(Rollout.next(DeployStrategy.ONE_BY_ONE, Map.of("web", 2), Map.of("web", 1), Map.of("web", 2), up, false))
                .isEqualTo(new Rollout.Scale(Map.of(), Map.of("web", 0), true));
        assertThat(Rollout.next(DeployStrategy.ONE_BY_ONE, Map.of("web", 2), Map.of("web", 2), Map.of("web", 2), up, false))
                .isEqualTo(new Rollout.Scale(Map.of(), Map.of("web", 1), false));
        // a worker type still to start: stopping the old web is not the end
        Map<String, Tally> webUp = Map.of("web", new Tally(1, 0, null));
        assertThat(Rollout.next(DeployStrategy.ONE_BY_ONE, Map.of("web", 1, "worker", 1), Map.of("web", 1),
                Map.of("web", 1), webUp, false)).isEqualTo(new Rollout.Scale(Map.of(), Map.of("web", 0), false));
    }

    @Test
    void waitsForNewJobsThenTimesOut() {
        Map<String, Tally> notUp = Map.of("web", new Tally(0, 0, null));
        assertThat(Rollout.next(DeployStrategy.ONE_BY_ONE, Map.of("web", 2), Map.of("web", 2), Map.of("web", 1), notUp, false))
                .isEqualTo(new Rollout.Wait("web: 0/1 new jobs up"));
        assertThat(Rollout.next(DeployStrategy.ONE_BY_ONE, Map.of("web", 2), Map.of("web", 2), Map.of("web", 1), notUp, true))
                .isInstanceOfSatisfying(Rollout.Fail.class, f -> assertThat(f.reason()).contains("timed out", "web"));
    }

    @Test
    void aCrashedNewJobFailsTheDeployment() {
        Map<String, Tally> crashed = Map.of("web", new Tally(0, 1, "crashed: exited with status 1"));
        assertThat(Rollout.next(DeployStrategy.ONE_BY_ONE, Map.of("web", 2), Map.of("web", 2), Map.of("web", 1), crashed, false))
                .isEqualTo(new Rollout.Fail("web job of the new release crashed: exited with status 1"));
    }

    @Test
    void withNothingOldToKeepServingEveryNewJobStartsAtOnce() {
        assertThat(play(DeployStrategy.ONE_BY_ONE, Map.of("web", 3), Map.of())).containsExactly("new{web=3} old{}");
        assertThat(play(DeployStrategy.ONE_BY_ONE, Map.of("web", 3), Map.of("web", 0))).containsExactly("new{web=3} old{web=0}");
    }

    @Test
    void itIsNotCompleteWhileARouterStillRoutesToAnOldJob() {
        Map<String, Tally> stillRouted = Map.of("web", new Tally(2, 0, null, 1));
        assertThat(Rollout.next(DeployStrategy.ONE_BY_ONE, Map.of("web", 2), Map.of("web", 0), Map.of("web", 2),
                stillRouted, false)).isEqualTo(new Rollout.Wait("web: routers still send requests to 1 job of the old release"));
        // the step that stops the last old job does not finish the deployment while that job is routed
        assertThat(Rollout.next(DeployStrategy.ONE_BY_ONE, Map.of("web", 2), Map.of("web", 1), Map.of("web", 2),
                stillRouted, false)).isEqualTo(new Rollout.Scale(Map.of(), Map.of("web", 0), false));
        assertThat(Rollout.next(DeployStrategy.ALL_AT_ONCE, Map.of("web", 2), Map.of("web", 0), Map.of("web", 2),
                stillRouted, true)).isInstanceOfSatisfying(Rollout.Fail.class,
                f -> assertThat(f.reason()).isEqualTo("timed out: web: routers still send requests to 1 job of the old release"));
        assertThat(Rollout.next(DeployStrategy.ONE_BY_ONE, Map.of("web", 2), Map.of("web", 0), Map.of("web", 2),
                Map.of("web", new Tally(2, 0, null, 0)), false)).isEqualTo(new Rollout.Complete());
    }

    @Test
    void aTypeWithVolumesStopsEachOldJobBeforeItsReplacementStartsWhateverTheStrategy() {
        for (DeployStrategy strategy : DeployStrategy.values()) {
            Map<String, Integer> oldNow = new HashMap<>(Map.of("db", 2, "web", 1));
            Map<String, Integer> newNow = new HashMap<>();
            Map<String, Integer> target = Map.of("db", 2, "web", 1);
            List<String> trace = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Map<String, Tally> tallies = new HashMap<>();
                newNow.forEach((type, count) -> tallies.put(type, new Tally(count, 0, null)));
                Rollout.Step step = Rollout.next(strategy, target, oldNow, newNow, tallies, false, java.util.Set.of("db"));
                if (step instanceof Rollout.Complete) {
                    break;
                }
                Rollout.Scale scale = (Rollout.Scale) step;
                newNow.putAll(scale.newCounts());
                oldNow.putAll(scale.oldCounts());
                trace.add("db new=" + newNow.getOrDefault("db", 0) + " old=" + oldNow.getOrDefault("db", 0));
                assertThat(newNow.getOrDefault("db", 0) + oldNow.getOrDefault("db", 0))
                        .as("never more db jobs than wanted: " + trace).isLessThanOrEqualTo(2);
            }
            assertThat(trace).as(strategy.wireName()).startsWith("db new=0 old=1", "db new=1 old=1", "db new=1 old=0",
                    "db new=2 old=0");
            assertThat(newNow).containsEntry("db", 2).containsEntry("web", 1);
            assertThat(oldNow).containsEntry("db", 0).containsEntry("web", 0);
        }
    }

    @Test
    void aTypeWithVolumesWaitsForItsNewJobToBeUpBeforeStoppingTheNextOldOne() {
        Rollout.Step step = Rollout.next(DeployStrategy.ONE_BY_ONE, Map.of("db", 2), Map.of("db", 1), Map.of("db", 1),
                Map.of("db", new Tally(0, 0, null)), false, java.util.Set.of("db"));
        assertThat(step).isEqualTo(new Rollout.Wait("db: 0/1 new jobs up"));
    }
}
