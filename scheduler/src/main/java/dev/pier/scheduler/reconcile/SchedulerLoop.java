package dev.pier.scheduler.reconcile;

import dev.pier.api.EventTypes;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.controller.EventSubscription;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Election;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.http.PierApiException;
import dev.pier.scheduler.SchedulerProperties;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the reconciler while this scheduler leads {@code pier-scheduler}: every interval, at once when the
 * controller's event stream says a formation changed or an app went away, and at once when the host leader's
 * {@link ClusterChanges} say a job came up or ended or a host was lost, and when a restart's back-off ends
 * ({@link Reconciler#nextPassDue}), so a crashed job restarts at its time, not at the next interval. Several
 * schedulers may run; only
 * the leader acts, and another takes over within discoverd's TTL when it dies.
 */
public final class SchedulerLoop implements SmartLifecycle {
    public static final String SERVICE = "pier-scheduler";
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerLoop.class);

    private final SchedulerProperties properties;
    private final ControllerClient controller;
    private final DiscoverdClient discoverd;
    private final Reconciler reconciler;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "pier-scheduler-loop");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private java.util.concurrent.ScheduledFuture<?> dueWake;
    private Instant dueAt;
    private volatile boolean running;
    private Election election;
    private EventSubscription events;
    private final ClusterChanges clusterChanges;

    public SchedulerLoop(SchedulerProperties properties, ControllerClient controller, DiscoverdClient discoverd,
                         Reconciler reconciler, ClusterChanges clusterChanges) {
        this.clusterChanges = clusterChanges;
        this.properties = properties;
        this.controller = controller;
        this.discoverd = discoverd;
        this.reconciler = reconciler;
    }

    public boolean isLeader() {
        return leading.get();
    }

    /** Asks for a pass as soon as possible (coalesced). */
    public void wake() {
        if (leading.get() && wakePending.compareAndSet(false, true)) {
            executor.execute(() -> {
                wakePending.set(false);
                pass();
            });
        }
    }

    private void pass() {
        if (!leading.get()) {
            return;
        }
        try {
            reconciler.reconcile(Instant.now());
            wakeWhenDue(reconciler.nextPassDue());
        } catch (PierApiException e) {
            LOG.warn("event=reconcile_skipped error=\"{}\"", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("event=reconcile_failed", e);
        }
    }

    /** Asks for a pass at {@code due} (on the loop's thread), unless one is asked for by then anyway. */
    private void wakeWhenDue(Instant due) {
        if (due == null) {
            return;
        }
        Instant now = Instant.now();
        if (!due.isBefore(now.plus(properties.interval())) || due.equals(dueAt) && dueWake != null && !dueWake.isDone()) {
            return;
        }
        if (dueWake != null) {
            dueWake.cancel(false);
        }
        dueAt = due;
        long delay = Math.max(0, java.time.Duration.between(now, due).toMillis() + 1);
        dueWake = executor.schedule(this::wake, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void start() {
        running = true;
        election = discoverd.campaign(SERVICE, properties.id(), properties.advertisedAddress(), Map.of(),
                DiscoverdClient.DEFAULT_TTL, new Election.Listener() {
                    @Override
                    public void elected(Instance self) {
                        LOG.info("event=scheduler_elected id={}", properties.id());
                        leading.set(true);
                        wake();
                    }

                    @Override
                    public void deposed() {
                        LOG.info("event=scheduler_deposed id={}", properties.id());
                        leading.set(false);
                    }
                });
        executor.scheduleWithFixedDelay(this::pass, properties.interval().toMillis(), properties.interval().toMillis(),
                TimeUnit.MILLISECONDS);
        executor.execute(this::followController);
        clusterChanges.start(this::wake);
    }

    private void followController() {
        while (running && events == null) {
            try {
                events = controller.followEvents(null, Set.of(EventTypes.FORMATION, EventTypes.APP_DELETION,
                        EventTypes.APP_RELEASE), null, event -> wake());
            } catch (PierApiException e) {
                LOG.warn("event=controller_unreachable error=\"{}\" retry_in=2s", e.getMessage());
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        leading.set(false);
        clusterChanges.close();
        if (events != null) {
            events.close();
        }
        if (election != null) {
            election.close();
        }
        executor.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
