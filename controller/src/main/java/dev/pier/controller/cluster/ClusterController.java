package dev.pier.controller.cluster;

import dev.pier.api.metrics.ClusterOverview;
import dev.pier.controller.metrics.MetricsSampler;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
    @ApiResponse(responseCode = "200", description = "the host leader's view, with each job's memory in use")
    @ApiResponse(responseCode = "503", description = "discoverd is not configured, or the host leader cannot be reached")
    public ClusterOverview cluster() {
        return new ClusterOverview(hosts.view("cluster views"), sampler.jobMemory());
    }
}
