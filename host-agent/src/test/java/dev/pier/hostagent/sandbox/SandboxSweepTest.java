package dev.pier.hostagent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.hostagent.sandbox.SandboxSweep.Plan;
import dev.pier.hostagent.sandbox.SandboxSweep.Seen;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxSweepTest {
    private static final Instant NOW = Instant.parse("2026-12-06T14:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(1);

    @Test
    void anEmptyHostGetsThePoolsSize() {
        Plan plan = SandboxSweep.decide(List.of(), Set.of(), Set.of(), Map.of(), 2, NOW, GRACE);

        assertThat(plan.create()).isEqualTo(2);
        assertThat(plan.remove()).isEmpty();
        assertThat(plan.idle()).isEmpty();
    }

    @Test
    void runningIdleSandboxesAreKeptAndOnlyTheMissingOnesMade() {
        Plan plan = SandboxSweep.decide(List.of(new Seen("a", true)), Set.of(), Set.of("a"), Map.of(), 2, NOW, GRACE);

        assertThat(plan.idle()).containsExactly("a");
        assertThat(plan.remove()).isEmpty();
        assertThat(plan.create()).isEqualTo(1);
    }

    @Test
    void anIdleSandboxThatDiedIsRemovedAndReplaced() {
        Plan plan = SandboxSweep.decide(List.of(new Seen("a", false), new Seen("b", true)), Set.of(),
                Set.of("a", "b"), Map.of(), 2, NOW, GRACE);

        assertThat(plan.remove()).containsExactly("a");
        assertThat(plan.idle()).containsExactly("b");
        assertThat(plan.create()).isEqualTo(1);
    }

    @Test
    void aSandboxThatAJobJoinedStaysWithItsJobEvenWhenItsNetworkHolderStopped() {
        Plan plan = SandboxSweep.decide(List.of(new Seen("a", true), new Seen("b", false)), Set.of("a", "b"),
                Set.of(), Map.of(), 1, NOW, GRACE);

        assertThat(plan.remove()).isEmpty();
        assertThat(plan.idle()).isEmpty();
        assertThat(plan.create()).isEqualTo(1);
    }

    @Test
    void aStraySandboxIsRemovedAndNotCountedAsIdle() {
        // left by an agent that stopped, or its job's container was removed behind the agent's back
        Plan plan = SandboxSweep.decide(List.of(new Seen("old", true)), Set.of(), Set.of(), Map.of(), 1, NOW, GRACE);

        assertThat(plan.remove()).containsExactly("old");
        assertThat(plan.idle()).isEmpty();
        assertThat(plan.create()).isEqualTo(1);
    }

    @Test
    void aClaimedSandboxIsLeftAloneWhileItsJobsContainerIsMadeThenCountsAsStray() {
        List<Seen> seen = List.of(new Seen("c", true));
        Map<String, Instant> claimed = Map.of("c", NOW.minusSeconds(5));

        Plan early = SandboxSweep.decide(seen, Set.of(), Set.of(), claimed, 1, NOW, GRACE);
        Plan late = SandboxSweep.decide(seen, Set.of(), Set.of(), claimed, 1, NOW.plus(GRACE), GRACE);

        assertThat(early.remove()).isEmpty();
        assertThat(early.idle()).isEmpty();
        assertThat(late.remove()).containsExactly("c");
    }

    @Test
    void aClaimedSandboxIsNeverIdleAgainSoNoTwoJobsShareOne() {
        Plan plan = SandboxSweep.decide(List.of(new Seen("c", true)), Set.of(), Set.of("c"),
                Map.of("c", NOW.minus(GRACE).minusSeconds(1)), 1, NOW, GRACE);

        assertThat(plan.idle()).isEmpty();
        assertThat(plan.remove()).containsExactly("c");
    }

    @Test
    void sizeZeroRemovesEveryUnusedSandboxAndKeepsTheJoinedOnes() {
        Plan plan = SandboxSweep.decide(List.of(new Seen("a", true), new Seen("j", true)), Set.of("j"), Set.of("a"),
                Map.of(), 0, NOW, GRACE);

        assertThat(plan.idle()).isEmpty();
        assertThat(plan.remove()).containsExactly("a");
        assertThat(plan.create()).isZero();
    }
}
