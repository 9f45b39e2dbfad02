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

    /** The job that claimed this sandbox is gone (or never started): the sandbox is removed. */
    void release(String container);

    /** Stops making sandboxes and removes the idle ones (none to remove: nothing). */
    @Override
    default void close() {
    }
}
