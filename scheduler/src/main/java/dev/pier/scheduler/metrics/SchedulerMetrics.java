package dev.pier.scheduler.metrics;

import dev.pier.scheduler.placement.Action;
import dev.pier.scheduler.placement.Slot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The scheduler's own series in {@code /metrics}:
 * <ul>
 *   <li>{@code pier_scheduler_pass_duration_seconds{outcome=ok|skipped|failed}}: reconcile passes (a histogram);</li>
 *   <li>{@code pier_scheduler_placements_total{action=start|stop|lost}}: what passes decided;</li>
 *   <li>{@code pier_scheduler_pending_jobs{reason=unplaceable|backoff}}: jobs the last pass wanted and could not
 *       place (no host fits) or held back (restart back-off);</li>
 *   <li>{@code pier_scheduler_restarts_total{app,process_type}}: crashed jobs, each of which is replaced;</li>
 *   <li>{@code pier_scheduler_leader}: 1 while this scheduler leads.</li>
 * </ul>
 */
public final class SchedulerMetrics {
    private final MeterRegistry registry;
    private final Counter starts;
    private final Counter stops;
    private final Counter lost;
    private final AtomicLong unplaceable = new AtomicLong();
    private final AtomicLong deferred = new AtomicLong();

    public SchedulerMetrics(MeterRegistry registry, BooleanSupplier leading) {
        this.registry = registry;
        this.starts = placements("start");
        this.stops = placements("stop");
        this.lost = placements("lost");
        Gauge.builder("pier.scheduler.pending.jobs", unplaceable, AtomicLong::get).tag("reason", "unplaceable")
                .description("Jobs the last pass wanted and could not place").register(registry);
        Gauge.builder("pier.scheduler.pending.jobs", deferred, AtomicLong::get).tag("reason", "backoff")
                .description("Jobs the last pass wanted and could not place").register(registry);
        Gauge.builder("pier.scheduler.leader", () -> leading.getAsBoolean() ? 1 : 0)
                .description("1 while this scheduler leads").register(registry);
    }

    private Counter placements(String action) {
        return Counter.builder("pier.scheduler.placements").tag("action", action)
                .description("Actions reconcile passes decided").register(registry);
    }

    /** A pass that ran to its end, with what it decided. */
    public void passed(Duration took, List<Action> actions) {
        long pendingUnplaceable = 0;
        long pendingDeferred = 0;
        for (Action action : actions) {
            if (action instanceof Action.Start) {
                starts.increment();
            } else if (action instanceof Action.Stop) {
                stops.increment();
            } else if (action instanceof Action.Lost) {
                lost.increment();
            } else if (action instanceof Action.Unplaceable u) {
                pendingUnplaceable += u.missing();
            } else if (action instanceof Action.Deferred d) {
                pendingDeferred += d.missing();
            }
        }
        unplaceable.set(pendingUnplaceable);
        deferred.set(pendingDeferred);
        pass("ok", took);
    }

    /** A pass that could not run (the controller or host leader unreachable) or failed. */
    public void notPassed(String outcome, Duration took) {
        pass(outcome, took);
    }

    private void pass(String outcome, Duration took) {
        Timer.builder("pier.scheduler.pass.duration").tag("outcome", outcome).description("Reconcile passes")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry)
                .record(took.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A job of {@code slot} crashed (the scheduler replaces it, after its back-off). */
    public void crashed(Slot slot) {
        Counter.builder("pier.scheduler.restarts").tag("app", slot.app()).tag("process_type", slot.processType())
                .description("Crashed jobs, each replaced by a new one").register(registry).increment();
    }
}
