package dev.pier.controller.cluster;

import dev.pier.api.metrics.ClusterOverview;
import dev.pier.controller.metrics.MetricsSampler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /cluster}: the hosts, their jobs and memory (the dashboard's cluster page). */
@RestController
public class ClusterController {
    private final ClusterHosts hosts;
    private final MetricsSampler sampler;

    public ClusterController(ClusterHosts hosts, MetricsSampler sampler) {
        this.hosts = hosts;
        this.sampler = sampler;
    }

    @GetMapping("/cluster")
    public ClusterOverview cluster() {
        return new ClusterOverview(hosts.view("the cluster view"), sampler.jobMemory());
    }
}
