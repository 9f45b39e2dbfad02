package dev.pier.scheduler.deploy;

import dev.pier.api.DeployStrategy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The next step of a deployment, as a pure function of its target counts and what runs now. The runner
 * applies the step, and asks again on its next pass; the cluster moves in between.
 *
 * <p>{@code one-by-one}, type by type in name order: start one new job; when every new job is up, stop one
 * old job; repeat until the new release has its counts and the old none. {@code all-at-once}: start every
 * new job; when all are up, stop every old one. A new job that crashes or fails, or no progress within the
 * timeout, fails the deployment (the controller then restores the old counts).
 */
public final class Rollout {
    private Rollout() {
    }

    /** What the new release's jobs of one process type are doing. */
    public record Tally(int up, int failed, String failure) {
        public static final Tally NONE = new Tally(0, 0, null);
    }

    public sealed interface Step {
    }

    /**
     * Set the formations' counts (only the types named change). {@code finishes}: once applied, the deployment
     * is complete (the last old jobs go, every new one is up), so it can be marked so in the same pass.
     */
    public record Scale(Map<String, Integer> newCounts, Map<String, Integer> oldCounts, boolean finishes)
            implements Step {
        public Scale(Map<String, Integer> newCounts, Map<String, Integer> oldCounts) {
            this(newCounts, oldCounts, false);
        }
    }

    public record Wait(String forWhat) implements Step {
    }

    public record Complete() implements Step {
    }

    public record Fail(String reason) implements Step {
    }

    public static Step next(DeployStrategy strategy, Map<String, Integer> target, Map<String, Integer> oldNow,
                            Map<String, Integer> newNow, Map<String, Tally> tallies, boolean timedOut) {
        TreeSet<String> types = new TreeSet<>(target.keySet());
        types.addAll(oldNow.keySet());
        for (String type : types) {
            Tally tally = tallies.getOrDefault(type, Tally.NONE);
            if (tally.failed() > 0) {
                return new Fail(type + " job of the new release " + (tally.failure() == null ? "failed" : tally.failure()));
            }
        }
        Step step = strategy == DeployStrategy.ALL_AT_ONCE
                ? allAtOnce(types, target, oldNow, newNow, tallies, timedOut)
                : oneByOne(types, target, oldNow, newNow, tallies, timedOut);
        // a step that only stops old jobs may be the last one: the next pass would find nothing left to do
        if (step instanceof Scale scale && scale.newCounts().isEmpty()) {
            Map<String, Integer> oldAfter = new LinkedHashMap<>(oldNow);
            oldAfter.putAll(scale.oldCounts());
            Step after = strategy == DeployStrategy.ALL_AT_ONCE
                    ? allAtOnce(types, target, oldAfter, newNow, tallies, false)
                    : oneByOne(types, target, oldAfter, newNow, tallies, false);
            if (after instanceof Complete) {
                return new Scale(scale.newCounts(), scale.oldCounts(), true);
            }
        }
        return step;
    }

    private static Step oneByOne(TreeSet<String> types, Map<String, Integer> target, Map<String, Integer> oldNow,
                                 Map<String, Integer> newNow, Map<String, Tally> tallies, boolean timedOut) {
        for (String type : types) {
            int want = target.getOrDefault(type, 0);
            int old = oldNow.getOrDefault(type, 0);
            int fresh = newNow.getOrDefault(type, 0);
            int up = tallies.getOrDefault(type, Tally.NONE).up();
            if (up < fresh) {
                return timedOut ? new Fail("timed out waiting for " + type + " jobs of the new release to be up ("
                        + up + "/" + fresh + ")") : new Wait(type + ": " + up + "/" + fresh + " new jobs up");
            }
            if (fresh + old > want && old > 0) {
                return new Scale(Map.of(), Map.of(type, old - 1));
            }
            if (fresh < want) {
                return new Scale(Map.of(type, fresh + 1), Map.of());
            }
        }
        return new Complete();
    }

    private static Step allAtOnce(TreeSet<String> types, Map<String, Integer> target, Map<String, Integer> oldNow,
                                  Map<String, Integer> newNow, Map<String, Tally> tallies, boolean timedOut) {
        Map<String, Integer> missing = new LinkedHashMap<>();
        for (String type : types) {
            int want = target.getOrDefault(type, 0);
            if (newNow.getOrDefault(type, 0) < want) {
                missing.put(type, want);
            }
        }
        if (!missing.isEmpty()) {
            return new Scale(missing, Map.of());
        }
        for (String type : types) {
            int fresh = newNow.getOrDefault(type, 0);
            int up = tallies.getOrDefault(type, Tally.NONE).up();
            if (up < fresh) {
                return timedOut ? new Fail("timed out waiting for " + type + " jobs of the new release to be up ("
                        + up + "/" + fresh + ")") : new Wait(type + ": " + up + "/" + fresh + " new jobs up");
            }
        }
        Map<String, Integer> stop = new LinkedHashMap<>();
        for (String type : types) {
            if (oldNow.getOrDefault(type, 0) > 0) {
                stop.put(type, 0);
            }
        }
        return stop.isEmpty() ? new Complete() : new Scale(Map.of(), stop);
    }
}
