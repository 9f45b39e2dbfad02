package dev.pier.api.discoverd;

import dev.pier.api.http.PierApiException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running candidacy in a service's leader election (see {@link DiscoverdClient#campaign}). It heartbeats the
 * candidacy every third of the TTL on a thread of its own (and at once when the service's watch stream reports a
 * leader change) and calls its {@link Listener} on that thread when
 * this candidate wins or loses. Closing resigns at once (and calls {@link Listener#deposed()} if it led).
 * Thread-safe.
 */
public final class Election implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Election.class.getName());

    /** Told when this candidate wins and loses leadership. Callbacks run on the election's thread. */
    public interface Listener {
        /** This candidate now leads; {@code self} is its candidacy as discoverd records it. */
        void elected(Instance self);

        /** This candidate no longer leads (another one does, it could not renew its candidacy, or it resigned). */
        void deposed();

        /** Whoever leads changed, as this candidate last heard (null: nobody). Optional. */
        default void leaderChanged(Instance leader) {
        }
    }

    private final DiscoverdClient client;
    private final String service;
    private final Candidacy candidacy;
    private final Duration ttl;
    private final Duration interval;
    private final Listener listener;
    private final ScheduledExecutorService thread;
    private volatile boolean leading;
    private volatile Instance leader;
    private volatile boolean closed;
    private volatile Watch leaderChanges;
    private long lastRenewedNanos;

    Election(DiscoverdClient client, String service, Candidacy candidacy, Duration ttl, Listener listener) {
        this.client = client;
        this.service = service;
        this.candidacy = candidacy;
        this.ttl = ttl;
        this.interval = DiscoverdClient.heartbeatInterval(ttl);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "discoverd-election-" + service);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        try {
            // The first campaign answers here so bad input is thrown to the caller; callbacks still run later,
            // on the election's thread.
            Leadership first = client.campaignOnce(service, candidacy);
            thread.execute(() -> apply(first));
        } catch (PierApiException e) {
            if (DiscoverdClient.isClientError(e)) {
                thread.shutdownNow();
                client.forget(this);
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "event=campaign-failed service=" + service + " id="
                    + candidacy.id() + " retrying=true error=\"" + e.getMessage() + "\"");
        }
        thread.scheduleWithFixedDelay(this::heartbeat, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        // Hear of leader changes at once (e.g. the leader's lease expired) instead of at the next heartbeat;
        // the campaign answer stays the one source of truth.
        leaderChanges = client.watch(service, event -> {
            if (event.kind() == ServiceEvent.Kind.LEADER && !closed) {
                try {
                    thread.execute(this::heartbeat);
                } catch (RejectedExecutionException e) {
                    // closing
                }
            }
        });
    }

    private void heartbeat() {
        if (closed) {
            return;
        }
        try {
            apply(client.campaignOnce(service, candidacy));
        } catch (RuntimeException e) {
            if (leading && System.nanoTime() - lastRenewedNanos > ttl.toNanos()) {
                LOG.log(System.Logger.Level.WARNING, "event=leadership-lost service=" + service + " id="
                        + candidacy.id() + " reason=cannot-renew error=\"" + e.getMessage() + "\"");
                leading = false;
                call(listener::deposed);
            }
        }
    }

    private void apply(Leadership leadership) {
        if (closed) {
            return;
        }
        lastRenewedNanos = System.nanoTime();
        Instance now = leadership.leader();
        Instance before = leader;
        leader = now;
        if (!Objects.equals(before == null ? null : before.id(), now == null ? null : now.id())) {
            call(() -> listener.leaderChanged(now));
        }
        boolean wins = leadership.isLeader(candidacy.id());
        if (wins && !leading) {
            leading = true;
            LOG.log(System.Logger.Level.INFO, "event=elected service=" + service + " id=" + candidacy.id());
            call(() -> listener.elected(now));
        } else if (!wins && leading) {
            leading = false;
            LOG.log(System.Logger.Level.INFO, "event=deposed service=" + service + " id=" + candidacy.id());
            call(listener::deposed);
        }
    }

    private void call(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=election-listener-failed service=" + service + " error=\""
                    + e + "\"");
        }
    }

    public String service() {
        return service;
    }

    public String id() {
        return candidacy.id();
    }

    /** Whether this candidate leads, as it last heard (within a third of the TTL). */
    public boolean isLeader() {
        return leading;
    }

    /** Who leads, as this candidate last heard. */
    public Optional<Instance> leader() {
        return Optional.ofNullable(leader);
    }

    /** Stops campaigning and resigns at once; calls {@link Listener#deposed()} first if this candidate led. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            thread.submit(() -> {
                closed = true;
                if (leading) {
                    leading = false;
                    call(listener::deposed);
                }
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            closed = true;
            leading = false;
        }
        Watch watch = leaderChanges;
        if (watch != null) {
            watch.close();
        }
        thread.shutdownNow();
        client.forget(this);
        try {
            client.resign(service, candidacy.id());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=resign-failed service=" + service + " id=" + candidacy.id()
                    + " error=\"" + e.getMessage() + "\"");
        }
    }
}
