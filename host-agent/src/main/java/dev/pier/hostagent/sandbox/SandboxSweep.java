package dev.pier.hostagent.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one pass over a host's network sandboxes does, decided from what the engine shows and what the pool knows.
 * Pure. A sandbox is one of:
 * <ul>
 *   <li>in use: a job's container (any state) joined it; it stays until that container is removed;</li>
 *   <li>claimed: handed to a job whose container is being created (not yet seen joined); it stays for
 *       {@code claimGrace}, then counts as stray (the creation failed without saying so);</li>
 *   <li>idle: waiting in the pool; one that no longer runs (killed, out of memory, the engine restarted) is
 *       removed and replaced;</li>
 *   <li>stray: none of these (left by an agent that stopped, or its job's container was removed outside the
 *       agent): removed.</li>
 * </ul>
 * Idle ones beyond {@code size} are removed; then as many are created as bring the running idle ones back to it.
 */
public final class SandboxSweep {
    private SandboxSweep() {
    }

    /** A sandbox container as the engine shows it. */
    public record Seen(String name, boolean running) {
    }

    /**
     * @param remove the sandboxes to remove (in no use, or idle and dead)
     * @param idle   the running idle sandboxes kept in the pool
     * @param create how many new sandboxes to create
     */
    public record Plan(List<String> remove, List<String> idle, int create) {
        public Plan {
            remove = List.copyOf(remove);
            idle = List.copyOf(idle);
        }
    }

    /**
     * @param seen     the host's sandbox containers
     * @param joined   the sandboxes that a job's container (any state) joined
     * @param idle     the sandboxes the pool holds as idle
     * @param claimed  the sandboxes handed to jobs, with when
     */
    public static Plan decide(List<Seen> seen, Set<String> joined, Set<String> idle, Map<String, Instant> claimed,
                              int size, Instant now, Duration claimGrace) {
        List<String> remove = new ArrayList<>();
        List<String> keptIdle = new ArrayList<>();
        for (Seen sandbox : seen) {
            String name = sandbox.name();
            if (joined.contains(name)) {
                continue;
            }
            Instant claimedAt = claimed.get(name);
            if (claimedAt != null && now.isBefore(claimedAt.plus(claimGrace))) {
                continue;
            }
            if (idle.contains(name) && claimedAt == null && sandbox.running()) {
                keptIdle.add(name);
            } else {
                remove.add(name);
            }
        }
        while (keptIdle.size() > size) {
            remove.add(keptIdle.remove(keptIdle.size() - 1));
        }
        int create = size - keptIdle.size();
        return new Plan(remove, keptIdle, create);
    }
}
