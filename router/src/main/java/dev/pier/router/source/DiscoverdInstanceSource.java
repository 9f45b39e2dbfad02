package dev.pier.router.source;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.ServiceEvent;
import dev.pier.api.discoverd.Watch;
import dev.pier.router.table.Backend;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Instances from discoverd's watch stream: the registered (up) instances, plus, after the watch reconnected, the
 * ones it routed before that the fresh list lacks, held for {@code hold} (see {@link HeldBackends}): a restarted
 * discoverd lists an instance again only once its owner's next heartbeat registered it anew.
 */
public final class DiscoverdInstanceSource implements InstanceSource, AutoCloseable {
    /**
     * How long an instance missing from a reconnected watch's list stays routed: two of discoverd's default leases
     * (an owner alive heartbeats every third of its lease, so it registers again well within that).
     */
    public static final Duration HOLD_AFTER_RECONNECT = DiscoverdClient.DEFAULT_TTL.multipliedBy(2);
    private static final System.Logger LOG = System.getLogger(DiscoverdInstanceSource.class.getName());

    private final DiscoverdClient discoverd;
    private final long holdNanos;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "router-held-instances");
        t.setDaemon(true);
        return t;
    });

    public DiscoverdInstanceSource(DiscoverdClient discoverd) {
        this(discoverd, HOLD_AFTER_RECONNECT);
    }

    public DiscoverdInstanceSource(DiscoverdClient discoverd, Duration hold) {
        this.discoverd = discoverd;
        this.holdNanos = hold.toNanos();
        this.nanoClock = System::nanoTime;
    }

    @Override
    public AutoCloseable watch(String service, Consumer<List<Backend>> onChange) {
        return new ServiceWatch(service, onChange).start();
    }

    /** Open watches that have not had their first complete list yet; guarded by itself. */
    private final Set<ServiceWatch> unlisted = new java.util.HashSet<>();

    @Override
    public boolean awaitListed(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (unlisted) {
            for (long left = max.toNanos(); !unlisted.isEmpty() && left > 0; left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(unlisted, left);
            }
            return unlisted.isEmpty();
        }
    }

    private void listed(ServiceWatch w) {
        synchronized (unlisted) {
            if (unlisted.remove(w)) {
                unlisted.notifyAll();
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    static List<Backend> backends(List<Instance> instances) {
        return instances.stream().filter(i -> i.port() > 0)
                .map(i -> new Backend(i.id(), i.host(), i.port())).toList();
    }

    /** One service's watch, its holds, and their expiry. */
    private final class ServiceWatch implements AutoCloseable {
        private final String service;
        private final Consumer<List<Backend>> onChange;
        private final HeldBackends backends = new HeldBackends(holdNanos);
        private final AtomicReference<Watch> watch = new AtomicReference<>();
        private boolean closed;
        private ScheduledFuture<?> expiry;

        ServiceWatch(String service, Consumer<List<Backend>> onChange) {
            this.service = service;
            this.onChange = onChange;
        }

        ServiceWatch start() {
            synchronized (unlisted) {
                unlisted.add(this);
            }
            Watch w = discoverd.watch(service, this::publish);
            watch.set(w);
            // Events that came before the line above were skipped: this reads the watch's latest view. Each
            // publication reads it under the lock, so whichever runs last publishes the newest set, never an older.
            publish(null);
            return this;
        }

        /** Publishes the watch's current list (and the holds) after {@code event} (null: no event). */
        private synchronized void publish(ServiceEvent event) {
            Watch w = watch.get();
            if (w == null || closed) {
                return;
            }
            List<Backend> listed = backends(w.instances());
            Set<String> heldBefore = backends.heldIds();
            List<Backend> routed;
            if (event == null) {
                routed = backends.changed(listed);
            } else {
                routed = switch (event.kind()) {
                    case CURRENT -> backends.snapshot(listed, w.connections() > 1, nanoClock.getAsLong());
                    case DOWN -> backends.down(event.instance().id(), listed);
                    default -> backends.changed(listed);
                };
            }
            Set<String> held = backends.heldIds();
            if (!heldBefore.containsAll(held)) {
                LOG.log(System.Logger.Level.INFO, "event=instances-held service=" + service + " held=" + held
                        + " listed=" + listed.size() + " for_ms=" + TimeUnit.NANOSECONDS.toMillis(holdNanos));
                scheduleExpiry();
            }
            onChange.accept(routed);
            if (event != null && event.kind() == ServiceEvent.Kind.CURRENT) {
                listed(this);
            }
        }

        private synchronized void expire() {
            if (closed) {
                return;
            }
            Set<String> heldBefore = backends.heldIds();
            List<Backend> routed = backends.expire(nanoClock.getAsLong());
            Set<String> dropped = new java.util.TreeSet<>(heldBefore);
            dropped.removeAll(backends.heldIds());
            if (!dropped.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "event=held-instances-dropped service=" + service + " ids="
                        + dropped + " reason=not-registered-again");
                onChange.accept(routed);
            }
            scheduleExpiry();
        }

        /** Runs {@link #expire} at the earliest hold's deadline. */
        private void scheduleExpiry() {
            OptionalLong next = backends.nextDeadline();
            if (next.isEmpty()) {
                return;
            }
            if (expiry != null) {
                expiry.cancel(false);
            }
            long delay = Math.max(0, next.getAsLong() - nanoClock.getAsLong()) + TimeUnit.MILLISECONDS.toNanos(1);
            try {
                expiry = timer.schedule(this::expire, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the source is closed
            }
        }

        @Override
        public void close() {
            listed(this); // nothing more to wait for
            synchronized (this) {
                closed = true;
                if (expiry != null) {
                    expiry.cancel(false);
                }
            }
            Watch w = watch.get();
            if (w != null) {
                w.close();
            }
        }
    }
}
