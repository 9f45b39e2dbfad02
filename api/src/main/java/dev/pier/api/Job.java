package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/**
 * One container running one process of one release on one host, as the scheduler reports it.
 * {@code reason} says why a job is pending, crashed or failed; {@code restarts} and {@code backoffUntil}
 * describe the scheduler's restart back-off; {@code releaseId} is null for a build's job (it runs no release
 * yet); {@code address} is host:port for jobs with a port; {@code memoryMb} is the job's memory limit (null when
 * not reported).
 */
public record Job(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) String app,
        UUID releaseId,
        @JsonProperty(required = true) String processType,
        String hostId,
        @JsonProperty(required = true) JobState state,
        String reason,
        Integer exitStatus,
        @JsonProperty(required = true) int restarts,
        Instant backoffUntil,
        String address,
        @JsonProperty(required = true) Instant createdAt,
        @JsonProperty(required = true) Instant updatedAt,
        Integer memoryMb) {

    public Job(String id, String app, UUID releaseId, String processType, String hostId, JobState state, String reason,
               Integer exitStatus, int restarts, Instant backoffUntil, String address, Instant createdAt,
               Instant updatedAt) {
        this(id, app, releaseId, processType, hostId, state, reason, exitStatus, restarts, backoffUntil, address,
                createdAt, updatedAt, null);
    }
}
