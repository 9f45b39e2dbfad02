package dev.pier.scheduler.placement;

/** What the reconciler must do to make the cluster match the formations. */
public sealed interface Action {
    /** Start one job of {@code slot} on {@code hostId}. */
    record Start(Slot slot, String hostId, int memoryMb) implements Action {
    }

    /** Stop a job: surplus, or of a slot no formation wants. */
    record Stop(String jobId, String hostId, Slot slot, String reason) implements Action {
    }

    /** A job was on a host that is gone: report it, and its replacement is placed elsewhere. */
    record Lost(String jobId, String hostId, Slot slot) implements Action {
    }

    /** {@code missing} jobs of a slot fit on no host; they stay pending for {@code reason}. */
    record Unplaceable(Slot slot, int missing, String reason) implements Action {
    }

    /** {@code missing} jobs of a slot wait for their restart back-off to pass. */
    record Deferred(Slot slot, int missing) implements Action {
    }
}
