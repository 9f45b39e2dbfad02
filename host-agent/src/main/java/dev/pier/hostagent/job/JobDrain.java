package dev.pier.hostagent.job;

import dev.pier.hostagent.discovery.Discovery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains a stopped web job that was serving before its container is stopped: it has left discovery already (its
 * move to {@code stopping} withdrew it), and serves what the routers still send it. The routers are asked every
 * {@link #ASK_EVERY} whether they still send it requests, for at most {@link #ROUTERS_WAIT}; once none does, the
 * job drains for the drain period, for requests already on their way, and is then stopped. When the routers cannot
 * be asked, the drain period counts from the stop, as before the routers could be asked. What to do after each
 * answer is {@link #next} (pure); this class asks, and waits, on the agent's workers and timer.
 */
final class JobDrain {
    private static final Logger LOG = LoggerFactory.getLogger(JobDrain.class);

    /** How long a stopped web job waits, at most, for every router to stop sending it requests. */
    static final Duration ROUTERS_WAIT = Duration.ofSeconds(30);
    /** How often the routers are asked. */
    static final Duration ASK_EVERY = Duration.ofMillis(100);

    /** What the routers' answer leads to: ask again after {@link #ASK_EVERY}, or stop the job after {@code stopIn}. */
    record Step(Kind kind, Duration stopIn) {
        enum Kind {
            /** A router still sends it requests, and the routers' wait is not over. */
            ASK_AGAIN,
            /** No router sends it requests any more: it drains, then stops. */
            UNROUTED,
            /** Some router still sends it requests after the whole wait: it drains, then stops anyway. */
            STILL_ROUTED,
            /** The routers cannot be asked: the drain period counts from the stop. */
            UNASKED
        }

        boolean asksAgain() {
            return kind == Kind.ASK_AGAIN;
        }
    }

    /**
     * The step after the routers' answer {@code routed} (empty: they cannot be asked), {@code waited} after the stop,
     * for a drain period of {@code drain}.
     */
    static Step next(Optional<Boolean> routed, Duration waited, Duration drain) {
        if (routed.orElse(false) && waited.compareTo(ROUTERS_WAIT) < 0) {
            return new Step(Step.Kind.ASK_AGAIN, null);
        }
        if (routed.isEmpty()) {
            Duration left = drain.minus(waited);
            return new Step(Step.Kind.UNASKED, left.isNegative() ? Duration.ZERO : left);
        }
        return new Step(routed.get() ? Step.Kind.STILL_ROUTED : Step.Kind.UNROUTED, drain);
    }

    private final Discovery discovery;
    private final Clock clock;
    private final Duration drain;
    private final String hostId;
    private final Executor workers;
    private final ScheduledExecutorService timer;
    private final Consumer<String> stop;

    /** {@code stop} stops a job's container once it has drained. */
    JobDrain(Discovery discovery, Clock clock, Duration drain, String hostId, Executor workers,
             ScheduledExecutorService timer, Consumer<String> stop) {
        this.discovery = discovery;
        this.clock = clock;
        this.drain = drain;
        this.hostId = hostId;
        this.workers = workers;
        this.timer = timer;
        this.stop = stop;
    }

    /** Whether jobs drain at all (a drain period of zero stops them at once). */
    boolean drains() {
        return !drain.isZero();
    }

    /** Drains the job {@code id}, withdrawn from {@code service}, then stops it. */
    void drainThenStop(String id, String service) {
        ask(id, service, clock.instant());
    }

    private void ask(String id, String service, Instant since) {
        workers.execute(() -> {
            Optional<Boolean> routed = discovery.stillRouted(service, id);
            Duration waited = Duration.between(since, clock.instant());
            Step step = next(routed, waited, drain);
            switch (step.kind()) {
                case ASK_AGAIN -> {
                    timer.schedule(() -> ask(id, service, since), ASK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                }
                case STILL_ROUTED -> LOG.warn("event=job.still-routed host={} job={} waited_ms={}", hostId, id,
                        waited.toMillis());
                case UNROUTED -> LOG.info("event=job.unrouted host={} job={} after_ms={}", hostId, id,
                        waited.toMillis());
                case UNASKED -> {
                    // nothing to say: the routers could not be asked
                }
            }
            timer.schedule(() -> stop.accept(id), step.stopIn().toMillis(), TimeUnit.MILLISECONDS);
        });
    }
}
