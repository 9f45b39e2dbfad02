package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A job's life: {@code pending → starting → up → stopping → down}, with {@code crashed} (exited non-zero,
 * or its health check failed while up) and {@code failed} (could not start). The transition table lives
 * here and only here; every component asks {@link #canMoveTo}.
 */
public enum JobState {
    PENDING, STARTING, UP, STOPPING, DOWN, CRASHED, FAILED;

    private static final Map<JobState, Set<JobState>> NEXT = Map.of(
            PENDING, EnumSet.of(STARTING, FAILED, DOWN),
            STARTING, EnumSet.of(UP, STOPPING, DOWN, CRASHED, FAILED),
            UP, EnumSet.of(STOPPING, DOWN, CRASHED),
            STOPPING, EnumSet.of(DOWN, CRASHED),
            DOWN, EnumSet.noneOf(JobState.class),
            CRASHED, EnumSet.noneOf(JobState.class),
            FAILED, EnumSet.noneOf(JobState.class));

    /** Whether a job in this state may move to {@code next}; staying in the same state is always allowed. */
    public boolean canMoveTo(JobState next) {
        return this == next || NEXT.get(this).contains(next);
    }

    /**
     * The states a job passes through to get from this state to {@code target} by the table, {@code target}
     * last (empty when already there): what an observer that missed some changes reports in order. Empty too
     * when {@code target} cannot be reached.
     */
    public java.util.List<JobState> pathTo(JobState target) {
        if (this == target) {
            return java.util.List.of();
        }
        Map<JobState, JobState> cameFrom = new java.util.EnumMap<>(JobState.class);
        java.util.ArrayDeque<JobState> queue = new java.util.ArrayDeque<>(java.util.List.of(this));
        while (!queue.isEmpty()) {
            JobState state = queue.poll();
            for (JobState next : NEXT.get(state)) {
                if (next != this && !cameFrom.containsKey(next)) {
                    cameFrom.put(next, state);
                    if (next == target) {
                        java.util.LinkedList<JobState> path = new java.util.LinkedList<>();
                        for (JobState at = target; at != this; at = cameFrom.get(at)) {
                            path.addFirst(at);
                        }
                        return java.util.List.copyOf(path);
                    }
                    queue.add(next);
                }
            }
        }
        return java.util.List.of();
    }

    /** Down, crashed and failed jobs never run again: a restart is a new job. */
    public boolean isTerminal() {
        return NEXT.get(this).isEmpty();
    }

    /** Pending, starting and up jobs count toward a formation; stopping and terminal ones do not. */
    public boolean isActive() {
        return this == PENDING || this == STARTING || this == UP;
    }

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static JobState fromWire(String value) {
        return WireNames.parse(values(), JobState::wireName, value, "job state");
    }
}
