package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code PUT /apps/{app}/jobs/{id}}: the scheduler's report of a job. Creates the job when it is new;
 * otherwise the state change must be one that {@link JobState#canMoveTo} allows. {@code memoryMb}: the job's
 * memory limit, when known.
 */
public record JobReport(
        UUID releaseId,
        String processType,
        String hostId,
        @JsonProperty(required = true) JobState state,
        String reason,
        Integer exitStatus,
        Integer restarts,
        Instant backoffUntil,
        String address,
        Integer memoryMb) {

    public JobReport(UUID releaseId, String processType, String hostId, JobState state, String reason,
                     Integer exitStatus, Integer restarts, Instant backoffUntil, String address) {
        this(releaseId, processType, hostId, state, reason, exitStatus, restarts, backoffUntil, address, null);
    }
}
