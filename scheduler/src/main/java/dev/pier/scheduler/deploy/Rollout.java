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
 * old job; repeat until the new release has its counts and the old none. A type with no old job to keep serving
 * (a first deploy, a new type) starts all its new jobs at once. {@code all-at-once}: start every new job; when
 * all are up, stop every old one. "Up" is {@link Tally#up}: for a web process, up, health-checked and routed
 * by every router. The deployment is complete only when, besides, no router routes to a job of another release
 * any more ({@link Tally#stale}). A new job that crashes or fails, or no progress within the timeout, fails
 * the deployment (the controller then restores the old counts).
 *
 * <p>Types whose jobs mount volumes ({@code stopFirst}) go first, one job at a time, whatever the strategy, and
 * stop before they start: an old job is stopped, then the new one that takes its place (and its volume) is
 * started and must be up before the next old one stops. A job cannot share its volume, so starting first would
 * wait forever.
 */
public final class Rollout {
    private Rollout() {
    }

    /**
     * What the new release's jobs of one process type are doing: {@code up} counts those ready to serve (up, and
     * for a web process routed by every router), {@code failed} those that crashed or failed; {@code stale} is
     * how many jobs of other releases the routers still send this type's requests to.
     */
    public record Tally(int up, int failed, String failure, int stale) {
        public static final Tally NONE = new Tally(0, 0, null, 0);

        public Tally(int up, int failed, String failure) {
            this(up, failed, failure, 0);
        }
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
        return next(strategy, target, oldNow, newNow, tallies, timedOut, java.util.Set.of());
    }

    /** As above; the types in {@code stopFirst} (their jobs mount volumes) stop each old job before its replacement. */
    public static Step next(DeployStrategy strategy, Map<String, Integer> target, Map<String, Integer> oldNow,
                            Map<String, Integer> newNow, Map<String, Tally> tallies, boolean timedOut,
                            java.util.Set<String> stopFirst) {
        TreeSet<String> types = new TreeSet<>(target.keySet());
        types.addAll(oldNow.keySet());
        for (String type : types) {
            Tally tally = tallies.getOrDefault(type, Tally.NONE);
            if (tally.failed() > 0) {
                return new Fail(type + " job of the new release " + (tally.failure() == null ? "failed" : tally.failure()));
            }
        }
        for (String type : types) {
            if (stopFirst.contains(type)) {
                Step step = stopFirst(type, target, oldNow, newNow, tallies, timedOut);
                if (step != null) {
                    return step;
                }
            }
        }
        TreeSet<String> all = new TreeSet<>(types);
        types.removeAll(stopFirst);
        Step step = strategy == DeployStrategy.ALL_AT_ONCE
                ? allAtOnce(types, target, oldNow, newNow, tallies, timedOut)
                : oneByOne(types, target, oldNow, newNow, tallies, timedOut);
        if (step instanceof Complete) {
            step = unlessStillRouted(all, tallies, timedOut);
        }
        // a step that only stops old jobs may be the last one: the next pass would find nothing left to do
        if (step instanceof Scale scale && scale.newCounts().isEmpty()) {
            Map<String, Integer> oldAfter = new LinkedHashMap<>(oldNow);
            oldAfter.putAll(scale.oldCounts());
            Step after = strategy == DeployStrategy.ALL_AT_ONCE
                    ? allAtOnce(types, target, oldAfter, newNow, tallies, false)
                    : oneByOne(types, target, oldAfter, newNow, tallies, false);
            if (after instanceof Complete && unlessStillRouted(all, tallies, false) instanceof Complete) {
                return new Scale(scale.newCounts(), scale.oldCounts(), true);
            }
        }
        return step;
    }

    /**
     * The next step of a type whose jobs mount volumes, or null when it is done: wait for the new jobs to be up;
     * stop one old job when old and new together are at least the target; else start one new job.
     */
    private static Step stopFirst(String type, Map<String, Integer> target, Map<String, Integer> oldNow,
                                  Map<String, Integer> newNow, Map<String, Tally> tallies, boolean timedOut) {
        int want = target.getOrDefault(type, 0);
        int old = oldNow.getOrDefault(type, 0);
        int fresh = newNow.getOrDefault(type, 0);
        int up = tallies.getOrDefault(type, Tally.NONE).up();
        if (up < fresh) {
            return timedOut ? new Fail("timed out waiting for " + type + " jobs of the new release to be up ("
                    + up + "/" + fresh + ")") : new Wait(type + ": " + up + "/" + fresh + " new jobs up");
        }
        if (old > 0 && fresh + old >= want) {
            return new Scale(Map.of(), Map.of(type, old - 1));
        }
        if (fresh < want) {
            return new Scale(Map.of(type, fresh + 1), Map.of());
        }
        return null;
    }

    /** Complete, unless a router still routes to jobs of another release: then wait for them to leave. */
    private static Step unlessStillRouted(TreeSet<String> types, Map<String, Tally> tallies, boolean timedOut) {
        for (String type : types) {
            int stale = tallies.getOrDefault(type, Tally.NONE).stale();
            if (stale > 0) {
                String what = type + ": routers still send requests to " + stale + " job" + (stale == 1 ? "" : "s")
                        + " of the old release";
                return timedOut ? new Fail("timed out: " + what) : new Wait(what);
            }
        }
        return new Complete();
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
                // nothing old to keep serving meanwhile: no reason to start them one at a time
                return new Scale(Map.of(type, old == 0 ? want : fresh + 1), Map.of());
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
