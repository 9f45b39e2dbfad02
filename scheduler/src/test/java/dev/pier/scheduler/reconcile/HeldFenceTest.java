package dev.pier.scheduler.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.discoverd.Fence;
import org.junit.jupiter.api.Test;

class HeldFenceTest {
    @Test
    void aSchedulerActsWithItsFenceOnlyWhileItLeadsAndKeepsSendingTheLastOneAfter() {
        HeldFence fence = new HeldFence();
        assertThatThrownBy(fence::current).isInstanceOf(FencedOut.class).hasMessageContaining("never led");
        assertThat(fence.held()).isNull();

        Fence mine = new Fence(SchedulerLoop.SERVICE, "scheduler-a", 42);
        fence.hold(mine);
        assertThat(fence.current()).isEqualTo(mine);

        fence.release();
        assertThatThrownBy(fence::current).isInstanceOf(FencedOut.class).hasMessageContaining("led with fence 42");
        assertThat(fence.held()).as("a request in flight still carries it, so the receiver refuses it")
                .isEqualTo(mine);
    }
}
