package dev.pier.scheduler.reconcile;

/**
 * A change this scheduler asked for was refused because its fence is not the current leader's, or because the
 * receiver could not confirm that it is (docs/scheduler.md, "Fencing"). It must not act as the leader: the pass
 * ends at once, and nothing is reported about the change it could not make.
 */
public final class FencedOut extends RuntimeException {
    public FencedOut(String detail) {
        super(detail, null, false, false);
    }
}
