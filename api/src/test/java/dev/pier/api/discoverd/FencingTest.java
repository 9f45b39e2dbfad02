package dev.pier.api.discoverd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FencingTest {
    private static final String SERVICE = "pier-scheduler";

    private static Instance candidate(String id, long index) {
        return new Instance(SERVICE, id, "127.0.0.1:8330", Map.of(), index);
    }

    @Test
    void theCurrentLeadersFenceIsAccepted() {
        Fence fence = Fence.of(SERVICE, candidate("scheduler-a", 42));

        assertThat(Fencing.judge(fence, candidate("scheduler-a", 42))).isEmpty();
    }

    @Test
    void aDeposedLeadersFenceIsRefusedNamingItAndTheNewLeader() {
        Fence old = new Fence(SERVICE, "scheduler-a", 42);

        assertThat(Fencing.judge(old, candidate("scheduler-b", 57))).get()
                .extracting(Fencing.Refusal::detail)
                .isEqualTo("scheduler-a (fence 42) no longer leads pier-scheduler: scheduler-b (fence 57) does");
    }

    @Test
    void aFenceOlderThanTheLastLeaderReadIsNamedStaleWhenTheLeaderCannotBeRead() {
        Fence old = new Fence(SERVICE, "scheduler-a", 42);

        assertThat(Fencing.stale(old, 57)).get().extracting(Fencing.Refusal::detail)
                .isEqualTo("scheduler-a (fence 42) no longer leads pier-scheduler: a newer leader (fence 57) has led since");
        assertThat(Fencing.stale(old, 42)).isEmpty();
        assertThat(Fencing.stale(old, 0)).isEmpty();
    }

    @Test
    void afterEtcdLostItsDataALowerFenceIsTheCurrentLeadersAndPasses() {
        // revisions start again from 1: the quorum read decides, not the memory of higher fences
        assertThat(Fencing.judge(new Fence(SERVICE, "scheduler-b", 3), candidate("scheduler-b", 3))).isEmpty();
    }

    @Test
    void aLeaderThatLapsedAndCampaignedAgainHoldsANewFence() {
        Fence before = new Fence(SERVICE, "scheduler-a", 42);

        assertThat(Fencing.judge(before, candidate("scheduler-a", 90))).get().extracting(Fencing.Refusal::detail)
                .isEqualTo("scheduler-a (fence 42) no longer leads pier-scheduler: scheduler-a (fence 90) does");
    }

    @Test
    void nobodyLeadingRefusesEveryFence() {
        assertThat(Fencing.judge(new Fence(SERVICE, "scheduler-a", 42), null)).get()
                .extracting(Fencing.Refusal::detail)
                .isEqualTo("scheduler-a (fence 42) no longer leads pier-scheduler: nobody leads it now");
    }

    @Test
    void anotherCandidateWithTheSameIndexIsNotTheLeader() {
        assertThat(Fencing.judge(new Fence(SERVICE, "scheduler-a", 42), candidate("scheduler-b", 42)))
                .isPresent();
    }

    @Test
    void theHeaderRoundTripsAndBadOnesAreNamed() {
        Fence fence = new Fence(SERVICE, "scheduler-a", 42);

        assertThat(fence.header()).isEqualTo("pier-scheduler/scheduler-a/42");
        assertThat(Fence.parse(fence.header())).isEqualTo(fence);
        assertThatThrownBy(() -> Fence.parse("pier-scheduler/scheduler-a")).hasMessageContaining("Pier-Fence must be");
        assertThatThrownBy(() -> Fence.parse("pier-scheduler/scheduler-a/x")).hasMessageContaining("is not a number");
        assertThatThrownBy(() -> Fence.parse("pier-scheduler/Scheduler A/4")).hasMessageContaining("candidate id");
        assertThatThrownBy(() -> Fence.parse("pier-scheduler/scheduler-a/0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> Fence.parse(null)).hasMessageContaining("Pier-Fence must be");
    }
}
