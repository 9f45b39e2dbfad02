package dev.pier.hostagent.runtime;

/**
 * One reading of a running container's resource use.
 *
 * @param cpuNanos    CPU time used since it started (user + system), in nanoseconds: a counter
 * @param memoryBytes memory in use, without the page cache the kernel can drop (what {@code docker stats} shows)
 * @param limitBytes  its memory limit, 0 when it has none
 */
public record ContainerStats(long cpuNanos, long memoryBytes, long limitBytes) {
}
