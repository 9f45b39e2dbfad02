package dev.pier.addon.redis.instance;

import java.util.Optional;
import java.util.Set;

/** The host port a new instance is published at: the lowest of the provider's range no instance holds (pure). */
public final class HostPorts {
    private HostPorts() {
    }

    /** The first port of {@code base .. base+count-1} not in {@code taken}; empty when all are. */
    public static Optional<Integer> next(Set<Integer> taken, int base, int count) {
        for (int port = base; port < base + count && port <= 65535; port++) {
            if (!taken.contains(port)) {
                return Optional.of(port);
            }
        }
        return Optional.empty();
    }
}
