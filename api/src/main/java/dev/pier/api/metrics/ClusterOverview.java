package dev.pier.api.metrics;

import dev.pier.api.host.ClusterView;
import java.util.Map;

/**
 * {@code GET /cluster}: the host leader's view of the hosts and their jobs, with the memory each job was last seen
 * using (by job id, from the host agents' {@code /metrics}; a job without a reading is absent).
 */
public record ClusterOverview(ClusterView view, Map<String, Long> memoryInUseBytes) {
    public ClusterOverview {
        memoryInUseBytes = memoryInUseBytes == null ? Map.of() : Map.copyOf(memoryInUseBytes);
    }
}
