package dev.pier.scheduler.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pier.api.discoverd.Instance;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Issue #19: the scheduler follows the host leader's change stream, and a leader that died with its machine never
 * ends it (nothing there closes the connection). Once discovery names another leader, the stream to the dead one is
 * left and the new leader's followed, so a host the new leader declares lost wakes a pass at once. Before, the
 * scheduler hung on the dead leader's stream for good and heard of nothing more than its interval found.
 * Real sockets: a leader whose machine is gone (accepts, never answers) and a live one streaming changes; the
 * election is given by hand, as discoverd's watch would give it.
 */
class ClusterChangesTest {

    /** A live host leader: {@code GET /cluster/events} streams what {@link #send} is given. */
    private static final class LiveLeader implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger followers = new AtomicInteger();
        private final AtomicReference<OutputStream> stream = new AtomicReference<>();

        LiveLeader() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/cluster/events", this::follow);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread thread = new Thread(r, "live-leader");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
        }

        private void follow(HttpExchange exchange) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(": following the cluster view\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            stream.set(out);
            followers.incrementAndGet();
        }

        void send(String json) throws IOException {
            OutputStream out = stream.get();
            out.write(("event: change\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        Instance instance() {
            return leader("host-1", server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** The election, told by hand. */
    private static final class Election implements ClusterChanges.HostLeaders {
        private final AtomicReference<Instance> current = new AtomicReference<>();
        private final AtomicReference<Consumer<String>> watcher = new AtomicReference<>();

        @Override
        public Instance current() {
            return current.get();
        }

        @Override
        public Closeable watch(Consumer<String> leaderId) {
            watcher.set(leaderId);
            return () -> watcher.set(null);
        }

        void elect(Instance leader) {
            current.set(leader);
            watcher.get().accept(leader.id());
        }
    }

    private static Instance leader(String id, int port) {
        return new Instance(LiveCluster.HOST_LEADER_SERVICE, id, "127.0.0.1:" + port,
                Map.of("url", "http://127.0.0.1:" + port), 1);
    }

    @Test
    void aStreamToALeaderThatDiedWithItsMachineIsLeftWhenDiscoveryNamesAnotherAndTheNewLeadersChangesWakeAPass()
            throws Exception {
        Election election = new Election();
        AtomicInteger wakes = new AtomicInteger();
        try (SilentHost dead = new SilentHost(); LiveLeader live = new LiveLeader();
             ClusterChanges changes = new ClusterChanges(election, "key", Duration.ofSeconds(1))) {
            election.current.set(leader("host-2", dead.port())); // its machine lost its power
            changes.start(wakes::incrementAndGet);
            await().atMost(Duration.ofSeconds(10)).until(() -> !dead.held.isEmpty());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(wakes.get()).isEqualTo(1)); // as it began following

            // the dead leader's lease lapses; discovery names host-1
            election.elect(live.instance());
            await().atMost(Duration.ofSeconds(10)).until(() -> live.followers.get() == 1);
            // one pass as the dead leader's stream was left, one as the new leader's was opened
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(wakes.get()).isEqualTo(3));

            live.send("{\"host_id\":\"host-2\",\"job_id\":null,\"state\":null,\"host_lost\":true}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(wakes.get()).isEqualTo(4));

            // discovery naming the leader it follows again (a watch's fresh snapshot) leaves nothing
            election.elect(live.instance());
            live.send("{\"host_id\":\"host-3\",\"job_id\":\"job-1\",\"state\":\"up\",\"host_lost\":false}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(wakes.get()).isEqualTo(5));
            assertThat(live.followers.get()).as("the live leader's stream was kept").isEqualTo(1);
            assertThat(dead.held).as("the dead leader was asked once").hasSize(1);
        }
    }

    @Test
    void aWaitForOneLeaderEndsWhenDiscoveryNamesAnotherOrNoneButNotWhenItNamesTheSameAgain() throws Exception {
        Election election = new Election();
        try (SilentHost dead = new SilentHost(); LiveLeader live = new LiveLeader();
             ClusterChanges changes = new ClusterChanges(election, "key", Duration.ofSeconds(1))) {
            Instance host2 = leader("host-2", dead.port());
            election.current.set(host2);
            changes.start(() -> { });
            CompletableFuture<Void> forHost2 = changes.after("host-2");
            CompletableFuture<Void> given = changes.after("host-2");
            given.cancel(false); // its read was answered: no longer waiting

            election.elect(host2); // a watch's fresh snapshot naming the same leader
            assertThat(forHost2).as("still host-2's").isNotDone();

            CompletableFuture<Void> forHost1 = changes.after(live.instance().id());
            election.elect(live.instance()); // host-2's lease lapsed
            assertThat(forHost2).as("host-2 succeeded").isCompleted();
            assertThat(forHost1).as("host-1 named").isNotDone();
            assertThat(given).isCancelled();

            election.watcher.get().accept(null); // no leader at all
            assertThat(forHost1).as("host-1 no longer leads").isCompleted();
        }
    }
}
