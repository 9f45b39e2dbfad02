package dev.pier.scheduler.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Fence;
import dev.pier.api.http.PierApiException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A removal of an ended job is housekeeping at the end of a pass, which the next pass waits for: on a host that
 * takes connections and never answers (a machine cut off while the connection was pooled), it gives up after its
 * own short timeout, not the 30 s of starts and stops that once held a pass while the host's jobs waited to run
 * elsewhere (bench/chaos, partition-3: 37 s from the cut).
 */
class LiveClusterRemovalTest {

    @Test
    void aRemovalOnAHostThatNeverAnswersGivesUpAfterItsOwnShortTimeout() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // read nothing, answer nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "silent-host");
            acceptor.setDaemon(true);
            acceptor.start();
            HeldFence fence = new HeldFence();
            fence.hold(new Fence(SchedulerLoop.SERVICE, "scheduler-1", 7));
            URI nowhere = URI.create("http://127.0.0.1:9");
            LiveCluster cluster = new LiveCluster(new ControllerClient(nowhere, "key"),
                    new DiscoverdClient(nowhere, "key"), "key", fence);

            assertThatThrownBy(() -> cluster.remove("http://127.0.0.1:" + silent.getLocalPort(), "host-3-job"))
                    .isInstanceOf(PierApiException.class)
                    .hasMessageContaining("no answer from http://127.0.0.1:" + silent.getLocalPort())
                    .hasMessageContaining("within " + LiveCluster.REMOVAL_TIMEOUT.toSeconds() + " s");
            assertThat(LiveCluster.REMOVAL_TIMEOUT).isLessThan(java.time.Duration.ofSeconds(10));
            assertThat(held).as("the removal reached the host").isNotEmpty();
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
