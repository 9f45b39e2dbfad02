package dev.pier.hostagent.runtime;

import java.util.Optional;

/**
 * Ports of the agent's range held for sandboxes that publish them ahead of a web job (the job table's
 * reservations): no job is given a reserved port except the one that claims its sandbox.
 */
public interface PortReservations {
    /** A free port of the range, now reserved; empty when the range has none free. */
    Optional<Integer> reserve();

    /** A reserved port goes back to the range (its sandbox is gone and no job took it). */
    void free(int port);
}
