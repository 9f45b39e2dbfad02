package dev.pier.scheduler.placement;

import java.util.List;
import java.util.Set;

/**
 * A host as placement sees it: capacity, what its jobs hold, its jobs, and the volumes it holds; a lost host runs
 * nothing, and its volumes are out of reach until it is back.
 */
public record HostState(String id, boolean lost, long totalMemoryMb, long allocatedMemoryMb, List<RunningJob> jobs,
                        Set<String> volumes) {

    public HostState {
        volumes = volumes == null ? Set.of() : Set.copyOf(volumes);
    }

    public HostState(String id, boolean lost, long totalMemoryMb, long allocatedMemoryMb, List<RunningJob> jobs) {
        this(id, lost, totalMemoryMb, allocatedMemoryMb, jobs, Set.of());
    }
}
