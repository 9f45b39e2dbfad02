package dev.pier.api.host;

/**
 * A host agent's own description ({@code GET /host}, and the {@code host} event of {@code GET /events}):
 * its id, the URL its API answers on, and its memory capacity and what its active jobs hold of it.
 */
public record HostInfo(String id, String url, long totalMemoryMb, long allocatedMemoryMb, int activeJobs) {
}
