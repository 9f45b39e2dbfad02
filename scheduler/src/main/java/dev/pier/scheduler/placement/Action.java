package dev.pier.scheduler.placement;

/** What the reconciler must do to make the cluster match the formations. */
public sealed interface Action {
    /**
     * Start one job of {@code slot} on {@code hostId}; {@code index}: for a type with volumes, the numbered place
     * (0 to count-1) it fills, whose volumes it mounts (null otherwise).
     */
    record Start(Slot slot, String hostId, int memoryMb, Integer index) implements Action {
        public Start(Slot slot, String hostId, int memoryMb) {
            this(slot, hostId, memoryMb, null);
        }
    }

    /** Stop a job: surplus, or of a slot no formation wants. */
    record Stop(String jobId, String hostId, Slot slot, String reason) implements Action {
    }

    /** A job was on a host that is gone: report it, and its replacement is placed elsewhere. */
    record Lost(String jobId, String hostId, Slot slot) implements Action {
    }

    /**
     * A job with volumes was on a host that is gone: nothing can replace it elsewhere (its data is on that host), so
     * it keeps its place and is counted again when its host returns with it; until then it is reported waiting.
     */
    record HeldOnLostHost(String jobId, String hostId, Slot slot) implements Action {
    }

    /**
     * {@code missing} jobs of a slot fit on no host, or wait for their volume (its host is lost or full, or another
     * job still uses it); they stay pending for {@code reason}.
     */
    record Unplaceable(Slot slot, int missing, String reason) implements Action {
    }

    /** {@code missing} jobs of a slot wait for their restart back-off to pass. */
    record Deferred(Slot slot, int missing) implements Action {
    }
}
