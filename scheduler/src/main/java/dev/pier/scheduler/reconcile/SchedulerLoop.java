package dev.pier.scheduler.reconcile;

import dev.pier.api.EventTypes;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.controller.EventSubscription;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Election;
import dev.pier.api.discoverd.Fence;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.http.PierApiException;
import dev.pier.scheduler.SchedulerProperties;
import dev.pier.scheduler.metrics.SchedulerMetrics;
import dev.pier.scheduler.placement.Action;
import java.time.Duration;
import java.util.List;
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
 * controller's event stream says a formation or a deployment changed or an app went away, and at once when the host leader's
 * {@link ClusterChanges} say a job came up or ended or a host was lost, and when a restart's back-off ends
 * ({@link Reconciler#nextPassDue}), so a crashed job restarts at its time, not at the next interval. Several
 * schedulers may run; only
 * the leader acts, and another takes over within discoverd's TTL when it dies.
 */
public final class SchedulerLoop implements SmartLifecycle {
    public static final String SERVICE = "pier-scheduler";
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerLoop.class);
    /** How soon a pass follows one that left a deployment waiting for the routers to catch up. */
    static final java.time.Duration QUICK_PASS = java.time.Duration.ofMillis(50);

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
    private volatile Election election;
    private EventSubscription events;
    private final ClusterChanges clusterChanges;
    private final SchedulerMetrics metrics;
    private final HeldFence fence;

    public SchedulerLoop(SchedulerProperties properties, ControllerClient controller, DiscoverdClient discoverd,
                         Reconciler reconciler, ClusterChanges clusterChanges, HeldFence fence) {
        this(properties, controller, discoverd, reconciler, clusterChanges, fence,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /**
     * With {@code meters}, passes, placements, pending jobs, restarts and leadership are measured. {@code fence} is
     * the one the reconciler's cluster sends: this loop holds it while it leads, from its campaign's answers.
     */
    public SchedulerLoop(SchedulerProperties properties, ControllerClient controller, DiscoverdClient discoverd,
                         Reconciler reconciler, ClusterChanges clusterChanges, HeldFence fence,
                         io.micrometer.core.instrument.MeterRegistry meters) {
        this.fence = fence;
        this.metrics = new SchedulerMetrics(meters, this::isLeader);
        reconciler.onCrash(metrics::crashed);
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
        if (!leading.get() || !holdFence()) {
            return;
        }
        long start = System.nanoTime();
        try {
            List<Action> actions = reconciler.reconcile(Instant.now());
            metrics.passed(Duration.ofNanos(System.nanoTime() - start), actions);
            if (reconciler.wantsQuickPass()) {
                executor.schedule(this::wake, QUICK_PASS.toMillis(), TimeUnit.MILLISECONDS);
            }
            wakeWhenDue(reconciler.nextPassDue());
        } catch (FencedOut e) {
            metrics.notPassed("fenced", Duration.ofNanos(System.nanoTime() - start));
            LOG.warn("event=scheduler_fenced_out id={} error=\"{}\"", properties.id(), e.getMessage());
        } catch (PierApiException e) {
            metrics.notPassed("skipped", Duration.ofNanos(System.nanoTime() - start));
            LOG.warn("event=reconcile_skipped error=\"{}\"", e.getMessage());
        } catch (RuntimeException e) {
            metrics.notPassed("failed", Duration.ofNanos(System.nanoTime() - start));
            LOG.error("event=reconcile_failed", e);
        }
    }

    /**
     * Takes this scheduler's fence from its election's last answer (its candidacy's index, which changes when the
     * candidacy lapsed and came back); false when that answer says another candidate leads.
     */
    private boolean holdFence() {
        Election current = election;
        Instance leader = current == null ? null : current.leader().orElse(null);
        if (leader == null || !leader.id().equals(properties.id())) {
            fence.release();
            return false;
        }
        fence.hold(Fence.of(SERVICE, leader));
        return true;
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
                        LOG.info("event=scheduler_elected id={} fence={}", properties.id(), self.index());
                        fence.hold(Fence.of(SERVICE, self));
                        leading.set(true);
                        wake();
                    }

                    @Override
                    public void deposed() {
                        LOG.info("event=scheduler_deposed id={}", properties.id());
                        leading.set(false);
                        fence.release();
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
                // a new deployment is started at once, not at the next interval
                events = controller.followEvents(null, Set.of(EventTypes.FORMATION, EventTypes.APP_DELETION,
                        EventTypes.APP_RELEASE, EventTypes.DEPLOYMENT), null, event -> wake());
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
        fence.release();
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
