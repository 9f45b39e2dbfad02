package dev.pier.scheduler;

import dev.pier.scheduler.reconcile.SchedulerLoop;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /health}: up, and whether this scheduler leads. */
@RestController
public class HealthController {
    private final SchedulerLoop loop;

    public HealthController(SchedulerLoop loop) {
        this.loop = loop;
    }

    @GetMapping("/health")
    public Map<String, Object> health() {
        return Map.of("status", "ok", "leader", loop.isLeader());
    }
}
