package dev.pier.hostagent.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a stopped web job's drain does after each answer of the routers (pure). */
class JobDrainTest {
    private static final Duration DRAIN = Duration.ofSeconds(2);

    @Test
    void whileARouterStillSendsRequestsTheRoutersAreAskedAgain() {
        JobDrain.Step step = JobDrain.next(Optional.of(true), Duration.ofSeconds(5), DRAIN);

        assertThat(step.asksAgain()).isTrue();
        assertThat(step.stopIn()).isNull();
    }

    @Test
    void onceNoRouterSendsRequestsTheJobDrainsForTheWholeDrainPeriod() {
        JobDrain.Step step = JobDrain.next(Optional.of(false), Duration.ofSeconds(5), DRAIN);

        assertThat(step.kind()).isEqualTo(JobDrain.Step.Kind.UNROUTED);
        assertThat(step.stopIn()).as("counted from when the routers let it go, not from the stop").isEqualTo(DRAIN);
    }

    @Test
    void aRouterThatKeepsSendingRequestsIsWaitedForThirtySecondsAtMost() {
        JobDrain.Step justBefore = JobDrain.next(Optional.of(true), JobDrain.ROUTERS_WAIT.minusMillis(1), DRAIN);
        JobDrain.Step over = JobDrain.next(Optional.of(true), JobDrain.ROUTERS_WAIT, DRAIN);

        assertThat(justBefore.asksAgain()).isTrue();
        assertThat(over.kind()).isEqualTo(JobDrain.Step.Kind.STILL_ROUTED);
        assertThat(over.stopIn()).isEqualTo(DRAIN);
    }

    @Test
    void whenTheRoutersCannotBeAskedTheDrainCountsFromTheStop() {
        assertThat(JobDrain.next(Optional.empty(), Duration.ofMillis(500), DRAIN))
                .isEqualTo(new JobDrain.Step(JobDrain.Step.Kind.UNASKED, Duration.ofMillis(1500)));
        assertThat(JobDrain.next(Optional.empty(), Duration.ofSeconds(3), DRAIN).stopIn())
                .as("the drain is over already: stop at once").isEqualTo(Duration.ZERO);
    }
}
