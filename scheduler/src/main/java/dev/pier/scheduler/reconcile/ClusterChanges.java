package dev.pier.scheduler.reconcile;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.host.ClusterChange;
import dev.pier.api.host.HostAgentClient;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the host leader's {@code GET /cluster/events} and asks for a pass whenever a change needs the scheduler
 * ({@link ClusterChange#needsScheduling}: a job came up or ended, a host was lost), so crashes are restarted and
 * deployments move on as soon as the leader knows, not at the next interval. When the stream ends (the leader
 * died or stepped down) it asks for a pass too, finds the leader again and follows it; it retries every
 * {@code retry} while no leader answers.
 */
public final class ClusterChanges implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterChanges.class);

    private final DiscoverdClient discoverd;
    private final String clusterKey;
    private final Duration retry;
    private volatile boolean open = true;
    private volatile Closeable stream;
    private Thread thread;

    public ClusterChanges(DiscoverdClient discoverd, String clusterKey, Duration retry) {
        this.discoverd = discoverd;
        this.clusterKey = clusterKey;
        this.retry = retry;
    }

    /** Starts following on a daemon thread; {@code wake} is called from that thread and must not block. */
    public synchronized void start(Runnable wake) {
        if (thread != null) {
            return;
        }
        thread = new Thread(() -> follow(wake), "pier-scheduler-cluster-changes");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(Runnable wake) {
        while (open) {
            try {
                Instance leader = discoverd.leader(LiveCluster.HOST_LEADER_SERVICE).leader();
                if (leader != null) {
                    String url = LiveCluster.urlOf(leader);
                    CountDownLatch ended = new CountDownLatch(1);
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
                    ended.await();
                    wake.run(); // what changed while no stream was open is read by the next pass
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.debug("event=cluster_changes_unavailable error=\"{}\"", e.getMessage());
            }
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public synchronized void close() {
        open = false;
        Closeable current = stream;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }
}
