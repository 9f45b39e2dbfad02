package dev.pier.api.host;

import java.util.List;

/**
 * A host agent's own description ({@code GET /host}, and the {@code host} event of {@code GET /events}):
 * its id, the URL its API answers on, its memory capacity and what its active jobs hold of it, and its volumes.
 */
public record HostInfo(String id, String url, long totalMemoryMb, long allocatedMemoryMb, int activeJobs,
                       List<HostVolume> volumes) {

    public HostInfo {
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    public HostInfo(String id, String url, long totalMemoryMb, long allocatedMemoryMb, int activeJobs) {
        this(id, url, totalMemoryMb, allocatedMemoryMb, activeJobs, List.of());
    }
}
