package dev.pier.api.host;

import java.time.Instant;
import java.util.List;

/**
 * The host leader's picture of the cluster ({@code GET /cluster}): every host agent it knows, with its
 * capacity and jobs. A host that left discoverd (its agent died) stays in the view marked {@code lost}, with
 * the jobs last seen on it, so the scheduler can move them.
 */
public record ClusterView(String leaderId, Instant updatedAt, List<Host> hosts) {

    public record Host(String id, String url, boolean lost, long totalMemoryMb, long allocatedMemoryMb,
                       Instant lastSeen, List<HostJob> jobs) {
    }
}
