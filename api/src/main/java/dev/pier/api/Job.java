package dev.pier.api;

import java.time.Instant;
import java.util.UUID;

/**
 * One container running one process of one release on one host, as the scheduler reports it.
 * {@code reason} says why a job is pending, crashed or failed; {@code restarts} and {@code backoffUntil}
 * describe the scheduler's restart back-off; {@code address} is host:port for jobs with a port; {@code memoryMb}
 * is the job's memory limit (null when not reported).
 */
public record Job(
        String id,
        String app,
        UUID releaseId,
        String processType,
        String hostId,
        JobState state,
        String reason,
        Integer exitStatus,
        int restarts,
        Instant backoffUntil,
        String address,
        Instant createdAt,
        Instant updatedAt,
        Integer memoryMb) {

    public Job(String id, String app, UUID releaseId, String processType, String hostId, JobState state, String reason,
               Integer exitStatus, int restarts, Instant backoffUntil, String address, Instant createdAt,
               Instant updatedAt) {
        this(id, app, releaseId, processType, hostId, state, reason, exitStatus, restarts, backoffUntil, address,
                createdAt, updatedAt, null);
    }
}
