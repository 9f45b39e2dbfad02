package dev.pier.scheduler.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Fence;
import dev.pier.api.http.PierApiException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a pass asks of a host that takes connections and never answers (a machine that lost its power or was cut off
 * while the connection was pooled) gives up after a short timeout of its own, not the 30 s of starts and stops:
 * <ul>
 *   <li>a removal of an ended job, housekeeping at the end of a pass, which the next pass waits for (once held a
 *       pass while the host's jobs waited to run elsewhere: bench/chaos, partition-3, 37 s from the cut);</li>
 *   <li>the read of the cluster view from the host leader, and of one job from its host (once held the pass that
 *       asked the host leader for its view as the leader's machine lost its power: bench/chaos, kill-machine-2,
 *       its jobs started elsewhere 35 s after the loss, a new leader elected after 4); and that read ends sooner
 *       still, as soon as discovery names another leader (MachinesTest in CI: the pass waited 5 s, the new leader was
 *       elected 3 s after the loss).</li>
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

    @Test
    void aReadOfTheViewFromALeaderThatNeverAnswersEndsAsSoonAsDiscoveryNamesAnother() throws Exception {
        CompletableFuture<Void> succeeded = new CompletableFuture<>();
        List<String> asked = new CopyOnWriteArrayList<>();
        HeldFence fence = new HeldFence();
        URI nowhere = URI.create("http://127.0.0.1:9");
        LiveCluster cluster = new LiveCluster(new ControllerClient(nowhere, "key"), new DiscoverdClient(nowhere, "key"),
                "key", fence, leaderId -> {
                    asked.add(leaderId);
                    return succeeded;
                });
        try (SilentHost leader = new SilentHost()) {
            CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(
                    () -> catchThrowable(() -> cluster.viewFrom("host-2", leader.url())));
            await().atMost(Duration.ofSeconds(10)).until(() -> !leader.held.isEmpty()); // the read is waiting
            assertThat(outcome).as("waiting for host-2's answer").isNotDone();

            succeeded.complete(null); // discovery named host-1
            assertThat(outcome.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(PierApiException.class)
                    .hasMessageContaining("discovery named another host leader while this scheduler waited for the"
                            + " view of host-2 at " + leader.url());
            assertThat(asked).containsExactly("host-2");
        }
    }

    @Test
    void aViewReadThatFailsOnItsOwnFailsWithItsOwnCauseAndStopsWaitingForASuccessor() {
        CompletableFuture<Void> succeeded = new CompletableFuture<>();
        URI nowhere = URI.create("http://127.0.0.1:9");
        LiveCluster cluster = new LiveCluster(new ControllerClient(nowhere, "key"), new DiscoverdClient(nowhere, "key"),
                "key", new HeldFence(), leaderId -> succeeded);
        assertThatThrownBy(() -> cluster.viewFrom("host-2", "http://127.0.0.1:9"))
                .isInstanceOf(PierApiException.class)
                .hasMessageContaining("cannot reach http://127.0.0.1:9");
        assertThat(succeeded).as("no longer waited for").isCancelled();
    }

    @Test
    void aViewWhoseAnswerStopsHalfwayIsGivenUpAtTheReadTimeout() throws Exception {
        URI nowhere = URI.create("http://127.0.0.1:9");
        LiveCluster cluster = new LiveCluster(new ControllerClient(nowhere, "key"), new DiscoverdClient(nowhere, "key"),
                "key", new HeldFence(), leaderId -> new CompletableFuture<>());
        try (SilentHost leader = SilentHost.answeringHalf()) {
            CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(
                    () -> catchThrowable(() -> cluster.viewFrom("host-2", leader.url())));
            // the HTTP client's own timeout ends with the answer's headers: the body was waited for without end
            assertThat(outcome).succeedsWithin(Duration.ofSeconds(30));
            assertThat(outcome.get())
                    .isInstanceOf(PierApiException.class)
                    .as("the client's own deadline, not the pass's backstop")
                    .hasMessage("the answer from " + leader.url() + " began but did not end within "
                            + LiveCluster.READ_TIMEOUT.toSeconds() + " s");
        }
    }
}
