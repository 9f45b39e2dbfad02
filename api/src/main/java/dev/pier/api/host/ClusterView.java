package dev.pier.api.host;

import java.time.Instant;
import java.util.List;

/**
 * The host leader's picture of the cluster ({@code GET /cluster}): every host agent it knows, with its
 * capacity and jobs. A host that left discoverd (its agent died) stays in the view marked {@code lost}, with
 * the jobs last seen on it, so the scheduler can move them, and the volumes last seen on it, so the jobs that
 * need them wait for it.
 */
public record ClusterView(String leaderId, Instant updatedAt, List<Host> hosts) {

    public record Host(String id, String url, boolean lost, long totalMemoryMb, long allocatedMemoryMb,
                       Instant lastSeen, List<HostJob> jobs, List<HostVolume> volumes) {

        public Host {
            volumes = volumes == null ? List.of() : List.copyOf(volumes);
        }

        public Host(String id, String url, boolean lost, long totalMemoryMb, long allocatedMemoryMb, Instant lastSeen,
                    List<HostJob> jobs) {
            this(id, url, lost, totalMemoryMb, allocatedMemoryMb, lastSeen, jobs, List.of());
        }
    }
}
