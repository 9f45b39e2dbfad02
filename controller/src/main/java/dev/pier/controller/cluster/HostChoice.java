package dev.pier.controller.cluster;

import dev.pier.api.host.ClusterView;
import java.util.Comparator;
import java.util.Optional;

/** Where a one-off job goes, as a pure function: the live host with the most free memory that fits it. */
public final class HostChoice {
    private HostChoice() {
    }

    public static Optional<ClusterView.Host> pick(ClusterView view, int memoryMb) {
        return view.hosts().stream()
                .filter(host -> !host.lost())
                .filter(host -> free(host) >= memoryMb)
                .max(Comparator.comparingLong(HostChoice::free)
                        .thenComparing(host -> -host.jobs().size())
                        .thenComparing(ClusterView.Host::id, Comparator.reverseOrder()));
    }

    static long free(ClusterView.Host host) {
        return host.totalMemoryMb() - host.allocatedMemoryMb();
    }
}
