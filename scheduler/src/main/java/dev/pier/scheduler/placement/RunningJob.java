package dev.pier.scheduler.placement;

import dev.pier.api.JobState;
import java.time.Instant;
import java.util.List;

/** A job on a host, reduced to what placement needs: its memory limit among it, and the volumes it mounts. */
public record RunningJob(String id, Slot slot, JobState state, Instant createdAt, Integer memoryMb,
                         List<String> volumes) {

    public RunningJob {
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    public RunningJob(String id, Slot slot, JobState state, Instant createdAt, Integer memoryMb) {
        this(id, slot, state, createdAt, memoryMb, List.of());
    }

    /** A job whose memory limit is not known: it fits any. */
    public RunningJob(String id, Slot slot, JobState state, Instant createdAt) {
        this(id, slot, state, createdAt, null);
    }

    /** Whether the job runs with the memory limit its slot now wants (an unknown limit fits). */
    public boolean fits(int wantedMemoryMb) {
        return memoryMb == null || memoryMb == wantedMemoryMb;
    }
}
