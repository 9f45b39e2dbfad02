package dev.pier.scheduler.placement;

import dev.pier.api.JobState;
import java.time.Instant;

/** A job on a host, reduced to what placement needs. */
public record RunningJob(String id, Slot slot, JobState state, Instant createdAt) {
}
