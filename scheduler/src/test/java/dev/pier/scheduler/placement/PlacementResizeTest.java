package dev.pier.scheduler.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A process type's new memory limit ({@code pier scale web=2:512M}) is rolled out as a deploy is: jobs with the old
 * limit are replaced one at a time, and fewer than the count are never up. Passes of {@link Placement#plan} are run
 * against a simulated host whose jobs come up one pass after they start.
 */
class PlacementResizeTest {
    private static final Slot WEB = new Slot("shop", UUID.randomUUID(), "web");
    private static final Instant T0 = Instant.parse("2026-12-05T00:00:00Z");

    private final List<RunningJob> jobs = new ArrayList<>();
    private int next;

    private RunningJob job(JobState state, int memoryMb) {
        return new RunningJob("j" + next, WEB, state, T0.plusSeconds(next++), memoryMb);
    }

    /** One pass: the plan's actions applied; what started earlier is up now. */
    private List<Action> pass(int count, int memoryMb) {
        HostState host = new HostState("h1", false, 8192,
                jobs.stream().mapToLong(j -> j.memoryMb() == null ? 256 : j.memoryMb()).sum(),
                List.copyOf(jobs));
        List<Action> actions = Placement.plan(List.of(host), List.of(new Want(WEB, count, memoryMb)), s -> false);
        jobs.replaceAll(j -> j.state() == JobState.STARTING
                ? new RunningJob(j.id(), j.slot(), JobState.UP, j.createdAt(), j.memoryMb()) : j);
        for (Action action : actions) {
            if (action instanceof Action.Stop stop) {
                jobs.removeIf(j -> j.id().equals(stop.jobId()));
            } else if (action instanceof Action.Start start) {
                jobs.add(job(JobState.STARTING, start.memoryMb()));
            }
        }
        return actions;
    }

    private long up(int memoryMb) {
        return jobs.stream().filter(j -> j.state() == JobState.UP && j.memoryMb() == memoryMb).count();
    }

    private long upAtAnySize() {
        return jobs.stream().filter(j -> j.state() == JobState.UP).count();
    }

    @Test
    void jobsAtTheOldLimitAreReplacedOneAtATimeWithoutDippingBelowTheCount() {
        jobs.add(job(JobState.UP, 256));
        jobs.add(job(JobState.UP, 256));
        for (int round = 0; round < 12 && !(up(512) == 2 && jobs.size() == 2); round++) {
            List<Action> actions = pass(2, 512);
            assertThat(upAtAnySize()).as("jobs up after round %d: %s", round, jobs).isGreaterThanOrEqualTo(2);
            assertThat(jobs.size()).as("at most one job over the count").isLessThanOrEqualTo(3);
            assertThat(actions.stream().filter(a -> a instanceof Action.Start)).hasSizeLessThanOrEqualTo(1);
        }
        assertThat(jobs).hasSize(2).allMatch(j -> j.memoryMb() == 512 && j.state() == JobState.UP);
    }

    @Test
    void aStopSaysWhyTheJobIsReplaced() {
        jobs.add(job(JobState.UP, 256));
        assertThat(pass(1, 512)).containsExactly(new Action.Start(WEB, "h1", 512));
        pass(1, 512); // the new job comes up
        List<Action> actions = pass(1, 512);
        assertThat(actions).containsExactly(new Action.Stop("j0", "h1", WEB, "replaced: its memory limit is now 512 MB"));
        assertThat(pass(1, 512)).isEmpty();
    }

    @Test
    void scalingUpAndResizingAtOnceStartsTheMissingJobsAtTheNewLimitThenReplacesTheRest() {
        jobs.add(job(JobState.UP, 256));
        List<Action> first = pass(3, 512);
        assertThat(first).containsExactly(new Action.Start(WEB, "h1", 512), new Action.Start(WEB, "h1", 512));
        for (int round = 0; round < 12 && !(up(512) == 3 && jobs.size() == 3); round++) {
            pass(3, 512);
        }
        assertThat(jobs).hasSize(3).allMatch(j -> j.memoryMb() == 512 && j.state() == JobState.UP);
    }

    @Test
    void scalingDownAndResizingAtOnceStopsOldJobsFirst() {
        jobs.add(job(JobState.UP, 256));
        jobs.add(job(JobState.UP, 256));
        jobs.add(job(JobState.UP, 256));
        for (int round = 0; round < 12 && !(up(512) == 1 && jobs.size() == 1); round++) {
            pass(1, 512);
            assertThat(upAtAnySize()).isGreaterThanOrEqualTo(1);
        }
        assertThat(jobs).hasSize(1).allMatch(j -> j.memoryMb() == 512);
    }

    @Test
    void jobsWhoseLimitIsNotKnownAreLeftAlone() {
        jobs.add(new RunningJob("old", WEB, JobState.UP, T0, null));
        assertThat(pass(1, 512)).isEmpty();
    }

    @Test
    void aJobAtTheNewLimitThatKeepsCrashingLeavesTheOldOnesServing() {
        jobs.add(job(JobState.UP, 256));
        pass(1, 64); // starts one at 64 MB
        jobs.removeIf(j -> j.memoryMb() == 64); // it crashed (an ended job is not active: placement does not see it)
        List<Action> actions = Placement.plan(List.of(new HostState("h1", false, 8192, 256, List.copyOf(jobs))),
                List.of(new Want(WEB, 1, 64)), s -> true);
        assertThat(actions).isEmpty(); // backing off: no new start, and the old job is not stopped
        assertThat(upAtAnySize()).isEqualTo(1);
    }
}
