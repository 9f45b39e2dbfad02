package dev.pier.api.metrics;

/**
 * One app process type's figures over one sampling interval. Request figures come from the routers (null for a
 * process type no router sends requests to, or when no router answered); memory and CPU from the host agents
 * (null when no agent had a reading of its jobs).
 *
 * @param requestsPerSecond answers per second (every status)
 * @param errorsPerSecond   5xx answers per second
 * @param p50Seconds        median time to the response's head, null when no request was answered
 * @param p95Seconds        95th percentile, likewise
 * @param p99Seconds        99th percentile, likewise
 * @param memoryBytes       memory in use by all its jobs together
 * @param cpuCores          CPU used by all its jobs together, in cores (1.0 = one core busy)
 * @param jobs              how many of its jobs had a reading
 */
public record ProcessFigures(
        Double requestsPerSecond,
        Double errorsPerSecond,
        Double p50Seconds,
        Double p95Seconds,
        Double p99Seconds,
        Long memoryBytes,
        Double cpuCores,
        Integer jobs) {
}
