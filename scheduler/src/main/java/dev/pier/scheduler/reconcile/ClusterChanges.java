package dev.pier.scheduler.reconcile;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.ServiceEvent;
import dev.pier.api.discoverd.Watch;
import dev.pier.api.host.ClusterChange;
import dev.pier.api.host.HostAgentClient;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the host leader's {@code GET /cluster/events} and asks for a pass whenever a change needs the scheduler
 * ({@link ClusterChange#needsScheduling}: a job came up or ended, a host was lost), so crashes are restarted and
 * deployments move on as soon as the leader knows, not at the next interval. When the stream ends (the leader
 * stepped down, or its agent died and its machine said so) it asks for a pass too, finds the leader again and follows
 * it, and it asks for one as it starts following (what changed while no stream was open is read by that pass); it
 * retries every {@code retry} while no leader answers.
 * <p>
 * A leader whose machine lost its power or was cut off never ends its stream: nothing there closes the connection.
 * So the election is watched too: as soon as discovery names another leader (or none), a stream to any other is
 * closed and the new one followed, so the scheduler hears the new leader declare the dead machine lost, rather than
 * waiting for its next interval (issue #19, a kill of the host leader's machine). The same word ends the wait of a
 * read of the old leader's view ({@link HostLeaderSuccession}).
 */
public final class ClusterChanges implements Closeable, HostLeaderSuccession {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterChanges.class);

    /** Who leads the hosts, and word each time discovery names a leader (null: none). */
    public interface HostLeaders {
        /** The host leader discovery names now, or null. */
        Instance current();

        /** Calls {@code leaderId} with the id of each leader discovery names from now on (null: none) until closed. */
        Closeable watch(Consumer<String> leaderId);

        /** Discoverd's election of {@link LiveCluster#HOST_LEADER_SERVICE}. */
        static HostLeaders of(DiscoverdClient discoverd) {
            return new HostLeaders() {
                @Override
                public Instance current() {
                    return discoverd.leader(LiveCluster.HOST_LEADER_SERVICE).leader();
                }

                @Override
                public Closeable watch(Consumer<String> leaderId) {
                    Watch watch = discoverd.watch(LiveCluster.HOST_LEADER_SERVICE, event -> {
                        if (event.kind() == ServiceEvent.Kind.LEADER || event.kind() == ServiceEvent.Kind.CURRENT) {
                            leaderId.accept(event.leader() == null ? null : event.leader().id());
                        }
                    });
                    return watch::close;
                }
            };
        }
    }

    private final HostLeaders leaders;
    private final String clusterKey;
    private final Duration retry;
    private final Semaphore leaderChanged = new Semaphore(0);
    private volatile boolean open = true;
    private volatile Closeable stream;
    /** The leader whose stream is open or opening (null: none). */
    private volatile String followed;
    /** The leader discovery named last, once it has named one ({@link #named}). */
    private volatile String named;
    private volatile boolean hasNamed;
    private Closeable election;
    private Thread thread;
    /** What waits for discovery to name a leader other than the one it asked. */
    private final List<Succession> successions = new CopyOnWriteArrayList<>();

    private record Succession(String leaderId, CompletableFuture<Void> named) {
    }

    public ClusterChanges(DiscoverdClient discoverd, String clusterKey, Duration retry) {
        this(HostLeaders.of(discoverd), clusterKey, retry);
    }

    public ClusterChanges(HostLeaders leaders, String clusterKey, Duration retry) {
        this.leaders = leaders;
        this.clusterKey = clusterKey;
        this.retry = retry;
    }

    /** Starts following on a daemon thread; {@code wake} is called from that thread and must not block. */
    public synchronized void start(Runnable wake) {
        if (thread != null) {
            return;
        }
        try {
            election = leaders.watch(this::named);
        } catch (RuntimeException e) {
            LOG.warn("event=host_leader_unwatched error=\"{}\" (a stream to a leader that died with its machine is "
                    + "left only when the machine answers again)", e.getMessage());
        }
        thread = new Thread(() -> follow(wake), "pier-scheduler-cluster-changes");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public CompletableFuture<Void> after(String leaderId) {
        successions.removeIf(waiting -> waiting.named().isDone()); // answered or cancelled
        CompletableFuture<Void> named = new CompletableFuture<>();
        successions.add(new Succession(leaderId, named));
        return named;
    }

    /** Discovery named {@code leaderId}: a stream to any other leader is closed, and the loop follows the new one. */
    private void named(String leaderId) {
        named = leaderId;
        hasNamed = true;
        for (Succession waiting : successions) {
            if (!Objects.equals(leaderId, waiting.leaderId()) && waiting.named().complete(null)) {
                successions.remove(waiting);
            }
        }
        if (!Objects.equals(leaderId, followed)) {
            leaderChanged.release();
            leaveUnlessFollowing(leaderId);
        }
    }

    private void leaveUnlessFollowing(String leaderId) {
        Closeable current = stream;
        String of = followed;
        if (current != null && of != null && !Objects.equals(leaderId, of)) {
            LOG.info("event=cluster_changes_left leader={} named={}", of, leaderId);
            closeQuietly(current);
        }
    }

    private void follow(Runnable wake) {
        while (open) {
            leaderChanged.drainPermits();
            try {
                Instance leader = leaders.current();
                if (leader != null) {
                    String url = LiveCluster.urlOf(leader);
                    CountDownLatch ended = new CountDownLatch(1);
                    followed = leader.id();
                    stream = new HostAgentClient(URI.create(url), clusterKey, Duration.ofSeconds(5)).clusterChanges(
                            change -> {
                                if (change.needsScheduling()) {
                                    wake.run();
                                }
                            }, failure -> {
                                if (failure != null && open) {
                                    LOG.info("event=cluster_changes_ended leader={} error=\"{}\"", leader.id(),
                                            failure.getMessage());
                                }
                                ended.countDown();
                            });
                    LOG.info("event=cluster_changes_following leader={} url={}", leader.id(), url);
                    if (hasNamed) {
                        leaveUnlessFollowing(named); // discovery named another while this one was being opened
                    }
                    wake.run(); // what changed before this stream was open is read by this pass
                    ended.await();
                    stream = null;
                    followed = null;
                    wake.run(); // what changed while no stream was open is read by the next pass
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.debug("event=cluster_changes_unavailable error=\"{}\"", e.getMessage());
            }
            try {
                // a leader named meanwhile is followed at once; otherwise (none, or one that would not stream) later
                leaderChanged.tryAcquire(retry.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public synchronized void close() {
        open = false;
        if (election != null) {
            closeQuietly(election);
        }
        Closeable current = stream;
        if (current != null) {
            closeQuietly(current);
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
