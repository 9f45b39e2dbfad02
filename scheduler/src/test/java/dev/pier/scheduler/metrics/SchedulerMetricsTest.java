package dev.pier.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.scheduler.placement.Action;
import dev.pier.scheduler.placement.Slot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SchedulerMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicBoolean leading = new AtomicBoolean();
    private final SchedulerMetrics metrics = new SchedulerMetrics(registry, leading::get);
    private final Slot web = new Slot("shop", UUID.randomUUID(), "web");

    @Test
    void aPassCountsWhatItDecidedAndWhatStaysPending() {
        metrics.passed(Duration.ofMillis(12), List.of(new Action.Start(web, "h1", 256), new Action.Start(web, "h2", 256),
                new Action.Stop("j1", "h1", web, "surplus"), new Action.Unplaceable(web, 3, "no memory"),
                new Action.Deferred(web, 1)));
        assertThat(registry.get("pier.scheduler.placements").tag("action", "start").counter().count()).isEqualTo(2);
        assertThat(registry.get("pier.scheduler.placements").tag("action", "stop").counter().count()).isEqualTo(1);
        assertThat(registry.get("pier.scheduler.pending.jobs").tag("reason", "unplaceable").gauge().value()).isEqualTo(3);
        assertThat(registry.get("pier.scheduler.pending.jobs").tag("reason", "backoff").gauge().value()).isEqualTo(1);
        assertThat(registry.get("pier.scheduler.pass.duration").tag("outcome", "ok").timer().count()).isEqualTo(1);

        metrics.passed(Duration.ofMillis(3), List.of()); // pending is what the last pass left
        assertThat(registry.get("pier.scheduler.pending.jobs").tag("reason", "unplaceable").gauge().value()).isZero();
        metrics.notPassed("skipped", Duration.ofMillis(1));
        assertThat(registry.get("pier.scheduler.pass.duration").tag("outcome", "skipped").timer().count()).isEqualTo(1);
    }

    @Test
    void crashesAreRestartsPerAppAndProcessTypeAndLeadershipIsAGauge() {
        metrics.crashed(web);
        metrics.crashed(web);
        assertThat(registry.get("pier.scheduler.restarts").tags("app", "shop", "process_type", "web").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("pier.scheduler.leader").gauge().value()).isZero();
        leading.set(true);
        assertThat(registry.get("pier.scheduler.leader").gauge().value()).isEqualTo(1);
    }
}
