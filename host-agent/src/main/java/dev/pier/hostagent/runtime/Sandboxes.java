package dev.pier.hostagent.runtime;

import java.util.Optional;

/**
 * Network sandboxes the runtime may start a job's container in: started containers holding a network namespace,
 * each for one job (see {@code dev.pier.hostagent.sandbox.NetworkSandboxes}).
 */
public interface Sandboxes extends AutoCloseable {
    /** No sandboxes: every container gets a network of its own. */
    Sandboxes NONE = new Sandboxes() {
        @Override
        public Optional<String> claim() {
            return Optional.empty();
        }

        @Override
        public void release(String container) {
        }
    };

    /** The container name of a running sandbox, now the caller's alone; empty when none is ready. */
    Optional<String> claim();

    /**
     * A running sandbox that publishes {@code containerPort} on {@code hostPort} of the agent's bind address (a port
     * of the agent's range, reserved for it in the job table), now the caller's alone with that port; empty when none
     * is ready. A job that joins it listens on {@code containerPort} and is reached at the host port.
     */
    record Published(String name, int hostPort) {
    }

    default Optional<Published> claimPublishing(int containerPort) {
        return Optional.empty();
    }

    /**
     * Where the ports of sandboxes that publish one come from (the job table's reservations), once the agent has
     * adopted what the engine runs; until then none is made. A pool without such sandboxes ignores it.
     */
    default void publishWith(PortReservations reservations) {
    }

    /** The job that claimed this sandbox is gone (or never started): the sandbox is removed. */
    void release(String container);

    /** Stops making sandboxes and removes the idle ones (none to remove: nothing). */
    @Override
    default void close() {
    }
}
