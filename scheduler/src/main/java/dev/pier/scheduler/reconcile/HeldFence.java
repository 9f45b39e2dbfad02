package dev.pier.scheduler.reconcile;

import dev.pier.api.discoverd.Fence;

/**
 * The fence this scheduler holds while it leads {@code pier-scheduler}: its candidacy's index as its last campaign
 * answer gave it (a candidacy that lapsed and came back has a new one). Sent with every start, stop and removal
 * it asks of a host agent, and with every request to the controller. Thread-safe.
 */
public final class HeldFence {
    private volatile Fence fence;

    /** The fence held now; throws {@link FencedOut} when this scheduler holds none (it does not lead). */
    public Fence current() {
        Fence held = fence;
        if (held == null) {
            throw new FencedOut("this scheduler does not lead " + SchedulerLoop.SERVICE + " (it holds no fence)");
        }
        return held;
    }

    /** The fence held now, or null when none (for clients that send it when there is one). */
    public Fence held() {
        return fence;
    }

    void hold(Fence fence) {
        this.fence = fence;
    }

    void release() {
        this.fence = null;
    }
}
