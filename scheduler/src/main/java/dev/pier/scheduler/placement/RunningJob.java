package dev.pier.scheduler.placement;

import dev.pier.api.JobState;
import java.time.Instant;

/** A job on a host, reduced to what placement needs: its memory limit among it. */
public record RunningJob(String id, Slot slot, JobState state, Instant createdAt, Integer memoryMb) {

    /** A job whose memory limit is not known: it fits any. */
    public RunningJob(String id, Slot slot, JobState state, Instant createdAt) {
        this(id, slot, state, createdAt, null);
    }

    /** Whether the job runs with the memory limit its slot now wants (an unknown limit fits). */
    public boolean fits(int wantedMemoryMb) {
        return memoryMb == null || memoryMb == wantedMemoryMb;
    }
}
