package dev.pier.api;

import static dev.pier.api.JobState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStateTest {

    @Test
    void theHappyPathIsAllowed() {
        assertThat(PENDING.canMoveTo(STARTING)).isTrue();
        assertThat(STARTING.canMoveTo(UP)).isTrue();
        assertThat(UP.canMoveTo(STOPPING)).isTrue();
        assertThat(STOPPING.canMoveTo(DOWN)).isTrue();
    }

    @Test
    void failuresAreReachableFromWhereTheyCanHappen() {
        assertThat(PENDING.canMoveTo(FAILED)).isTrue();
        assertThat(STARTING.canMoveTo(FAILED)).isTrue();
        assertThat(STARTING.canMoveTo(CRASHED)).isTrue();
        assertThat(UP.canMoveTo(CRASHED)).isTrue();
        assertThat(UP.canMoveTo(FAILED)).as("a job that ran did not fail to start").isFalse();
    }

    @Test
    void nothingGoesBackwardsAndTerminalStatesAreFinal() {
        assertThat(UP.canMoveTo(PENDING)).isFalse();
        assertThat(UP.canMoveTo(STARTING)).isFalse();
        assertThat(STOPPING.canMoveTo(UP)).isFalse();
        for (JobState terminal : EnumSet.of(DOWN, CRASHED, FAILED)) {
            assertThat(terminal.isTerminal()).isTrue();
            for (JobState next : JobState.values()) {
                assertThat(terminal.canMoveTo(next)).as(terminal + " -> " + next).isEqualTo(next == terminal);
            }
        }
    }

    @Test
    void pathsFillInTheStatesAnObserverMissed() {
        assertThat(PENDING.pathTo(UP)).containsExactly(STARTING, UP);
        assertThat(PENDING.pathTo(CRASHED)).containsExactly(STARTING, CRASHED);
        assertThat(STARTING.pathTo(DOWN)).containsExactly(DOWN);
        assertThat(UP.pathTo(UP)).isEmpty();
        assertThat(UP.pathTo(PENDING)).as("unreachable").isEmpty();
        assertThat(DOWN.pathTo(UP)).isEmpty();
    }

    @Test
    void everyStateMayStayWhereItIs() {
        for (JobState state : JobState.values()) {
            assertThat(state.canMoveTo(state)).isTrue();
        }
    }

    @Test
    void activeStatesCountTowardAFormation() {
        Set<JobState> active = EnumSet.noneOf(JobState.class);
        for (JobState state : JobState.values()) {
            if (state.isActive()) {
                active.add(state);
            }
        }
        assertThat(active).containsExactlyInAnyOrder(PENDING, STARTING, UP);
    }

    @Test
    void wireNamesRoundTripAndUnknownNamesAreRejected() {
        for (JobState state : JobState.values()) {
            assertThat(JobState.fromWire(state.wireName())).isEqualTo(state);
        }
        assertThatThrownBy(() -> JobState.fromWire("exploded")).hasMessageContaining("unknown job state 'exploded'");
    }

    @Test
    void deploymentStatusesFollowTheirTable() {
        assertThat(DeploymentStatus.PENDING.canMoveTo(DeploymentStatus.RUNNING)).isTrue();
        assertThat(DeploymentStatus.RUNNING.canMoveTo(DeploymentStatus.COMPLETE)).isTrue();
        assertThat(DeploymentStatus.RUNNING.canMoveTo(DeploymentStatus.FAILED)).isTrue();
        assertThat(DeploymentStatus.RUNNING.canMoveTo(DeploymentStatus.PENDING)).isFalse();
        assertThat(DeploymentStatus.COMPLETE.canMoveTo(DeploymentStatus.FAILED)).isFalse();
        assertThat(DeploymentStatus.FAILED.isFinished()).isTrue();
        assertThat(DeployStrategy.fromWire("all-at-once")).isEqualTo(DeployStrategy.ALL_AT_ONCE);
        assertThatThrownBy(() -> DeployStrategy.fromWire("yolo")).hasMessageContaining("one-by-one or all-at-once");
    }
}
