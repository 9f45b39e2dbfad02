package dev.pier.scheduler.placement;

import java.util.List;

/** A host as placement sees it: capacity, what its jobs hold, its jobs; a lost host runs nothing. */
public record HostState(String id, boolean lost, long totalMemoryMb, long allocatedMemoryMb, List<RunningJob> jobs) {
}
