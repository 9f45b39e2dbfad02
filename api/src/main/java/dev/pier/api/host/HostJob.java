package dev.pier.api.host;

import dev.pier.api.JobState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job as its host agent sees it: identity, state with the reason for {@code crashed}/{@code failed},
 * the exit status once it ended, and {@code address} ({@code host:port}) when it publishes a port; {@code volumes}:
 * the names of the volumes it mounts.
 */
public record HostJob(
        String id,
        String hostId,
        String app,
        UUID releaseId,
        String processType,
        String image,
        JobState state,
        String reason,
        Integer exitStatus,
        String address,
        Integer memoryMb,
        Instant createdAt,
        Instant updatedAt,
        List<String> volumes) {

    public HostJob {
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    public HostJob(String id, String hostId, String app, UUID releaseId, String processType, String image,
                   JobState state, String reason, Integer exitStatus, String address, Integer memoryMb,
                   Instant createdAt, Instant updatedAt) {
        this(id, hostId, app, releaseId, processType, image, state, reason, exitStatus, address, memoryMb, createdAt,
                updatedAt, List.of());
    }

    public HostJob moveTo(JobState next, String newReason, Integer newExitStatus, Instant at) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("job " + id + " cannot move from " + state.wireName() + " to "
                    + next.wireName());
        }
        return new HostJob(id, hostId, app, releaseId, processType, image, next, newReason, newExitStatus, address,
                memoryMb, createdAt, at, volumes);
    }

    public HostJob withAddress(String newAddress) {
        return new HostJob(id, hostId, app, releaseId, processType, image, state, reason, exitStatus, newAddress,
                memoryMb, createdAt, updatedAt, volumes);
    }
}
