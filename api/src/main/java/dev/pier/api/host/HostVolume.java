package dev.pier.api.host;

import java.time.Instant;

/**
 * A volume on a host ({@code GET /volumes} of a host agent, and in its {@link HostInfo}): its name, the host that
 * holds it, the app and process type it was made for, the path it was first mounted at, the size hint, when it
 * was made, and the job using it now ({@code jobId}, null when no job that has not ended mounts it).
 */
public record HostVolume(String name, String hostId, String app, String processType, String path, Integer sizeMb,
                         Instant createdAt, String jobId) {

    public HostVolume withJob(String newJobId) {
        return new HostVolume(name, hostId, app, processType, path, sizeMb, createdAt, newJobId);
    }
}
