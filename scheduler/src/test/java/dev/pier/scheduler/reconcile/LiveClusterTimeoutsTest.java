package dev.pier.scheduler.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Fence;
import dev.pier.api.http.PierApiException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a pass asks of a host that takes connections and never answers (a machine that lost its power or was cut off
 * while the connection was pooled) gives up after a short timeout of its own, not the 30 s of starts and stops:
 * <ul>
 *   <li>a removal of an ended job, housekeeping at the end of a pass, which the next pass waits for (once held a
 *       pass while the host's jobs waited to run elsewhere: bench/chaos, partition-3, 37 s from the cut);</li>
 *   <li>the read of the cluster view from the host leader, and of one job from its host (once held the pass that
 *       asked the host leader for its view as the leader's machine lost its power: bench/chaos, kill-machine-2,
 *       its jobs started elsewhere 35 s after the loss, a new leader elected after 4).</li>
 * </ul>
 */
class LiveClusterTimeoutsTest {

    private static LiveCluster cluster() {
        HeldFence fence = new HeldFence();
        fence.hold(new Fence(SchedulerLoop.SERVICE, "scheduler-1", 7));
        URI nowhere = URI.create("http://127.0.0.1:9");
        return new LiveCluster(new ControllerClient(nowhere, "key"), new DiscoverdClient(nowhere, "key"), "key", fence);
    }

    @Test
    void aRemovalOnAHostThatNeverAnswersGivesUpAfterItsOwnShortTimeout() throws Exception {
        try (SilentHost host = new SilentHost()) {
            assertThatThrownBy(() -> cluster().remove(host.url(), "host-3-job"))
                    .isInstanceOf(PierApiException.class)
                    .hasMessageContaining("no answer from " + host.url())
                    .hasMessageContaining("within " + LiveCluster.REMOVAL_TIMEOUT.toSeconds() + " s");
            assertThat(LiveCluster.REMOVAL_TIMEOUT).isLessThan(Duration.ofSeconds(10));
            assertThat(host.held).as("the removal reached the host").isNotEmpty();
        }
    }

    @Test
    void readingTheViewFromALeaderThatNeverAnswersOrAJobFromSuchAHostGivesUpAfterTheReadTimeout() throws Exception {
        try (SilentHost leader = new SilentHost()) {
            LiveCluster cluster = cluster();
            assertThatThrownBy(() -> cluster.viewFrom(leader.url()))
                    .isInstanceOf(PierApiException.class)
                    .hasMessageContaining("no answer from " + leader.url())
                    .hasMessageContaining("within " + LiveCluster.READ_TIMEOUT.toSeconds() + " s");
            assertThatThrownBy(() -> cluster.hostJob(leader.url(), "host-2-job"))
                    .isInstanceOf(PierApiException.class)
                    .hasMessageContaining("within " + LiveCluster.READ_TIMEOUT.toSeconds() + " s");
            assertThat(LiveCluster.READ_TIMEOUT).isLessThan(Duration.ofSeconds(10));
            assertThat(leader.held).as("the reads reached the leader").hasSizeGreaterThanOrEqualTo(2);
        }
    }
}
