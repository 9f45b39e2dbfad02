package dev.pier.discoverd;

import dev.pier.discoverd.watch.Mirror;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /health} (open): discoverd is up; {@code etcd} says whether its view of etcd is live. */
@RestController
public class HealthController {
    private final Mirror mirror;

    public HealthController(Mirror mirror) {
        this.mirror = mirror;
    }

    @GetMapping("/health")
    public Map<String, Object> health() {
        return Map.of("status", "ok", "etcd", mirror.isLive() ? "connected" : "unreachable");
    }
}
