package dev.pier.hostagent.cluster;

import dev.pier.api.host.ClusterChange;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import dev.pier.hostagent.discovery.Discovery;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Campaigns for the host leadership; while leader, follows every live agent's {@code GET /events} (its own
 * included, over HTTP like the others) into a {@link ClusterViewBuilder}, re-reading discovery every second and
 * at once when discovery says a host left ({@link Discovery#watchHosts}): new agents are followed, broken streams
 * are reopened, and agents that discovery has not listed for one lease period ({@code lease}, the agents' job
 * registration TTL) are marked lost, or at once when their machine does not
 * answer a connection at all ({@link HostProbe}: nothing there will register again). A new leader serves its view only once
 * every host it knows has sent its jobs (or after two lease periods), and declares no host lost before a lease
 * period has passed: after an outage of discoverd or etcd every agent registers again within it.
 * <p>
 * While another agent leads, this one keeps a copy of the leader's view to start from if elected (a dead leader's
 * own host and jobs are known only from it): it follows the leader's {@code GET /cluster/events} and copies the
 * view {@link #COPY_FOLD} after a change (the changes that come meanwhile folded into the same copy), so the copy
 * trails the leader by about that and a round trip, not by a polling period. Every sync period it checks that it
 * follows the current leader (a new leader, or a broken stream, is followed and copied at once), and it copies
 * every {@code copyEvery} whatever happens. Copies run on a thread of their own: a copy stuck on a leader that
 * just died never delays this agent's own election.
 */
public final class HostLeader implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(HostLeader.class);
    /** How long a standby waits after a change of the leader's view before it copies it (see {@link #copySoon}). */
    static final Duration COPY_FOLD = Duration.ofMillis(100);

    private final Discovery discovery;
    private final Supplier<HostInfo> self;
    private final String clusterKey;
    private final Clock clock;
    private final Duration sync;
    private final Duration lease;
    private final HostProbe probe;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "pier-host-leader");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService copier = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "pier-host-standby");
        thread.setDaemon(true);
        return thread;
    });
    private final Duration copyEvery;
    private final AtomicBoolean copyQueued = new AtomicBoolean();
    /** When the leader's view was last copied ({@link System#nanoTime}; copier thread). */
    private long lastCopy = System.nanoTime();
    /** The leader's change stream this standby follows (copier thread only), the URL it is of, and its client. */
    private Closeable leaderChanges;
    private String leaderChangesUrl;
    private HostAgentClient leaderClient;
    private final Map<String, Closeable> streams = new HashMap<>();
    private final List<ViewListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ClusterViewBuilder view;
    private volatile ClusterView standbyCopy;
    private ScheduledFuture<?> syncing;
    private Closeable hostsLeft;

    /** Told of every change of the view while this agent leads, and when it stops leading. */
    public interface ViewListener {
        void changed(ClusterChange change);

        void deposed();
    }

    public void addListener(ViewListener listener) {
        listeners.add(listener);
    }

    public void removeListener(ViewListener listener) {
        listeners.remove(listener);
    }

    private void changed(ClusterViewBuilder builder, ClusterChange change) {
        if (builder != view) {
            return; // a stream of a view this agent no longer leads
        }
        for (ViewListener listener : listeners) {
            try {
                listener.changed(change);
            } catch (RuntimeException e) {
                LOG.debug("event=leader.listener-failed reason=\"{}\"", e.getMessage());
            }
        }
    }

    public HostLeader(Discovery discovery, Supplier<HostInfo> self, String clusterKey, Clock clock, Duration sync,
                      Duration lease) {
        this(discovery, self, clusterKey, clock, sync, lease, HostProbe.NONE, sync.multipliedBy(2));
    }

    /**
     * With {@code probe}, a host discovery no longer lists is probed at each sync; one whose machine does not answer
     * at all is lost at once rather than a lease later ({@link ClusterViewBuilder#toDeclareLost}).
     */
    public HostLeader(Discovery discovery, Supplier<HostInfo> self, String clusterKey, Clock clock, Duration sync,
                      Duration lease, HostProbe probe, Duration copyEvery) {
        this.probe = probe;
        this.copyEvery = copyEvery;
        this.discovery = discovery;
        this.self = self;
        this.clusterKey = clusterKey;
        this.clock = clock;
        this.sync = sync;
        this.lease = lease;
    }

    public void open() {
        copier.scheduleWithFixedDelay(this::standbyTick, sync.toMillis(), sync.toMillis(), TimeUnit.MILLISECONDS);
        discovery.campaign(self.get(), new Discovery.LeadershipListener() {
            @Override
            public void elected() {
                onTimer(HostLeader.this::lead);
            }

            @Override
            public void deposed() {
                onTimer(HostLeader.this::stepDown);
            }
        });
    }

    private void onTimer(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            // Closed: this agent no longer leads anything.
        }
    }

    public boolean isLeader() {
        return view != null;
    }

    /** The cluster view, when this agent is the leader (see {@link #gathering} before acting on it). */
    public Optional<ClusterView> view() {
        ClusterViewBuilder current = view;
        return current == null ? Optional.empty() : Optional.of(current.view(self.get().id(), clock.instant()));
    }

    /**
     * The hosts a new leader still waits for before its view is complete (empty when complete, or when this agent
     * does not lead): until then a host's jobs may be missing from the view.
     */
    public List<String> gathering() {
        ClusterViewBuilder current = view;
        return current == null ? List.of() : current.gathering(clock.instant(), lease.multipliedBy(2));
    }

    /** A standby's last copy of the leader's view (taken every two sync periods), when it has one. */
    public Optional<ClusterView> standbyCopy() {
        return Optional.ofNullable(standbyCopy);
    }

    /** Who leads, as discovery says. */
    public Optional<Discovery.HostEntry> leader() {
        return discovery.leader();
    }

    private void lead() {
        if (view != null) {
            return;
        }
        LOG.info("event=leader.elected host={} lost_after_s={}", self.get().id(), lease.toSeconds());
        ClusterViewBuilder builder = new ClusterViewBuilder(clock.instant());
        if (standbyCopy != null) {
            builder.seed(standbyCopy);
        }
        view = builder;
        syncing = timer.scheduleWithFixedDelay(this::syncSafely, 0, sync.toMillis(), TimeUnit.MILLISECONDS);
        // a host that leaves discovery is looked at (probed, and lost if its machine does not answer) at once
        try {
            hostsLeft = discovery.watchHosts(() -> onTimer(this::syncSafely));
        } catch (RuntimeException e) {
            LOG.warn("event=leader.hosts-unwatched host={} reason=\"{}\" (the sync every {} ms notices alone)",
                    self.get().id(), e.getMessage(), sync.toMillis());
        }
    }

    private void stepDown() {
        if (view == null) {
            return;
        }
        LOG.info("event=leader.deposed host={}", self.get().id());
        if (syncing != null) {
            syncing.cancel(false);
        }
        if (hostsLeft != null) {
            closeQuietly(hostsLeft);
            hostsLeft = null;
        }
        streams.values().forEach(HostLeader::closeQuietly);
        streams.clear();
        // Its own last view is the freshest copy it could start from if elected again.
        standbyCopy = view.view(self.get().id(), clock.instant());
        view = null;
        listeners.forEach(ViewListener::deposed);
    }

    /**
     * While another agent leads, follow its changes and keep a copy of its view, to start from if this agent is
     * elected (copier thread, every sync period): a leader not followed yet (a new one, or a stream that broke) is
     * followed and copied at once; otherwise the view is copied when {@code copyEvery} has passed since the last copy.
     */
    private void standbyTick() {
        if (view != null) {
            stopFollowingLeader();
            return;
        }
        try {
            Optional<Discovery.HostEntry> leader = discovery.leader();
            if (leader.isEmpty() || leader.get().id().equals(self.get().id())) {
                stopFollowingLeader();
            } else if (followLeader(leader.get().url()) || System.nanoTime() - lastCopy >= copyEvery.toNanos()) {
                copyLeaderView();
            }
        } catch (RuntimeException e) {
            LOG.debug("event=standby.tick-failed host={} reason=\"{}\"", self.get().id(), e.getMessage());
        }
    }

    /** Copies the leader's view (copier thread). */
    private void copyLeaderView() {
        if (view != null) {
            return;
        }
        try {
            Optional<Discovery.HostEntry> leader = discovery.leader();
            if (leader.isPresent() && !leader.get().id().equals(self.get().id())) {
                ClusterView copy = clientOf(leader.get().url()).cluster();
                lastCopy = System.nanoTime();
                if (view == null) {
                    standbyCopy = copy;
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("event=standby.copy-failed host={} reason=\"{}\"", self.get().id(), e.getMessage());
        }
    }

    /**
     * Copies the leader's view once more, {@link #COPY_FOLD} after a change: the changes that come meanwhile are in
     * the same copy, so a busy leader is copied at most about ten times a second by each standby.
     */
    private void copySoon() {
        if (copyQueued.compareAndSet(false, true)) {
            try {
                copier.schedule(() -> {
                    copyQueued.set(false);
                    copyLeaderView();
                }, COPY_FOLD.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Closed.
            }
        }
    }

    /** One client per leader URL (its connections are reused copy after copy; copier thread). */
    private HostAgentClient clientOf(String url) {
        if (leaderClient == null || !leaderClient.base().toString().equals(url.endsWith("/")
                ? url.substring(0, url.length() - 1) : url)) {
            leaderClient = new HostAgentClient(URI.create(url), clusterKey, Duration.ofSeconds(5));
        }
        return leaderClient;
    }

    /** Follows the leader at {@code url}'s changes; true when it was not followed yet (copier thread). */
    private boolean followLeader(String url) {
        if (leaderChanges != null && url.equals(leaderChangesUrl)) {
            return false;
        }
        stopFollowingLeader();
        Closeable[] handle = new Closeable[1];
        handle[0] = clientOf(url).clusterChanges(
                change -> copySoon(), failure -> {
                    try {
                        copier.execute(() -> {
                            if (leaderChanges == handle[0]) { // reopened at the next copy
                                leaderChanges = null;
                                leaderChangesUrl = null;
                            }
                        });
                    } catch (RejectedExecutionException e) {
                        // Closed.
                    }
                });
        leaderChanges = handle[0];
        leaderChangesUrl = url;
        LOG.info("event=standby.following host={} leader_url={}", self.get().id(), url);
        return true;
    }

    private void stopFollowingLeader() {
        if (leaderChanges != null) {
            closeQuietly(leaderChanges);
            leaderChanges = null;
            leaderChangesUrl = null;
        }
    }

    private void syncSafely() {
        try {
            syncOnce();
        } catch (RuntimeException e) {
            LOG.warn("event=leader.sync-failed host={} reason=\"{}\"", self.get().id(), e.getMessage());
        }
    }

    private void syncOnce() {
        ClusterViewBuilder builder = view;
        if (builder == null) {
            return;
        }
        HostInfo me = self.get();
        Map<String, String> live = new HashMap<>();
        for (Discovery.HostEntry entry : discovery.hosts()) {
            live.put(entry.id(), entry.url());
        }
        live.put(me.id(), me.url());
        Instant now = clock.instant();
        builder.listed(live, now);
        for (Map.Entry<String, String> host : live.entrySet()) {
            if (!streams.containsKey(host.getKey())) {
                follow(builder, host.getKey(), host.getValue());
            }
        }
        Map<String, HostProbe.Reach> reached = new HashMap<>();
        builder.missing().forEach((id, url) -> reached.put(id, url == null ? HostProbe.Reach.UNKNOWN : probe.reach(url)));
        Set<String> unreachable = new HashSet<>();
        reached.forEach((id, reach) -> {
            if (reach == HostProbe.Reach.UNREACHABLE) {
                unreachable.add(id);
            }
        });
        for (String id : builder.toDeclareLost(clock.instant(), lease, unreachable)) {
            LOG.info("event=leader.host-lost leader={} host={} reason={} lease_s={}", me.id(), id,
                    unreachable.contains(id) ? "unlisted_and_machine_unreachable" : "unlisted_for_a_lease",
                    lease.toSeconds());
            builder.lost(id);
            changed(builder, ClusterChange.ofHost(id, true));
            Closeable stream = streams.remove(id);
            if (stream != null) {
                closeQuietly(stream);
            }
        }
    }

    private void follow(ClusterViewBuilder builder, String hostId, String url) {
        HostAgentClient client = new HostAgentClient(URI.create(url), clusterKey, Duration.ofSeconds(5));
        Closeable[] handle = new Closeable[1];
        // The host's jobs are replaced only by its stream's complete snapshot (the host itself, every job, then
        // synced): an agent that just died, or a stream being reopened, keeps the host's last known jobs.
        AtomicBoolean open = new AtomicBoolean();
        Closeable stream = client.events(new HostAgentClient.EventListener() {
            @Override
            public void job(HostJob job) {
                builder.job(hostId, job, clock.instant());
                changed(builder, ClusterChange.ofJob(hostId, job));
            }

            @Override
            public void host(HostInfo host) {
                if (open.compareAndSet(false, true)) {
                    builder.connected(hostId, url, clock.instant());
                }
                builder.host(host, clock.instant());
                changed(builder, ClusterChange.ofHost(hostId, false));
            }

            @Override
            public void removed(String jobId) {
                builder.removed(hostId, jobId, clock.instant());
                changed(builder, new ClusterChange(hostId, jobId, null, false));
            }

            @Override
            public void synced() {
                builder.synced(hostId, clock.instant());
                changed(builder, ClusterChange.ofHost(hostId, false));
            }
        }, failure -> onTimer(() -> {
            // Reopened on the next sync if the host is still listed.
            if (builder == view && streams.get(hostId) == handle[0]) {
                streams.remove(hostId);
            }
        }));
        handle[0] = stream;
        streams.put(hostId, stream);
        LOG.info("event=leader.following leader={} host={} url={}", self.get().id(), hostId, url);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        try {
            copier.execute(this::stopFollowingLeader);
        } catch (RejectedExecutionException e) {
            // Closed already.
        }
        copier.shutdown();
        onTimer(this::stepDown);
        timer.shutdown();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: hosts currently followed. */
    List<String> followed() {
        return List.copyOf(streams.keySet());
    }
}
