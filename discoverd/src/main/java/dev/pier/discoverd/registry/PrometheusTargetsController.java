package dev.pier.discoverd.registry;

import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.MetricsAnnouncement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /prometheus/targets}: a service's instances in the format of Prometheus' HTTP service discovery
 * ({@code http_sd_configs}), by default those of {@code pier-metrics}, where every Pier service announces its
 * {@code /metrics}. Each instance is a target group of its own, labelled {@code pier_service} (the announcing
 * service, from meta {@code service}), {@code pier_instance} (its id) and {@code __metrics_path__} (meta
 * {@code path}). Needs the cluster key like every other endpoint; Prometheus sends it with
 * {@code authorization: {credentials_file: ...}} (docs/metrics.md).
 */
@RestController
public class PrometheusTargetsController {
    private final Registry registry;

    public PrometheusTargetsController(Registry registry) {
        this.registry = registry;
    }

    /** One target group. */
    public record TargetGroup(List<String> targets, Map<String, String> labels) {
    }

    @GetMapping(value = "/prometheus/targets", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<TargetGroup> targets(@RequestParam(defaultValue = MetricsAnnouncement.SERVICE) String service) {
        return targetsOf(registry.list(Keys.Kind.INSTANCE, Input.service(service)));
    }

    static List<TargetGroup> targetsOf(List<Instance> instances) {
        return instances.stream().map(instance -> {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("pier_service", instance.meta().getOrDefault(MetricsAnnouncement.META_SERVICE,
                    instance.service()));
            labels.put("pier_instance", instance.id());
            labels.put("__metrics_path__", instance.meta().getOrDefault(MetricsAnnouncement.META_PATH,
                    MetricsAnnouncement.PATH));
            return new TargetGroup(List.of(instance.address()), labels);
        }).toList();
    }
}
