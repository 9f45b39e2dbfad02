package dev.pier.scheduler.reconcile;

import dev.pier.api.discoverd.Fence;

/**
 * The fence of this scheduler's leadership of {@code pier-scheduler}: its candidacy's index as its last campaign
 * answer gave it (a candidacy that lapsed and came back has a new one). Sent with every start, stop and removal it
 * asks of a host agent, and with every request to the controller. A deposed scheduler keeps its last fence and
 * keeps sending it, never none: a change still in flight when it was deposed arrives with a fence the receiver
 * refuses, not as an unfenced request. Thread-safe.
 */
public final class HeldFence {
    private volatile Fence last;
    private volatile boolean leading;

    /** The fence held while leading; throws {@link FencedOut} when this scheduler does not lead (as it last heard). */
    public Fence current() {
        Fence held = last;
        if (!leading || held == null) {
            throw new FencedOut("this scheduler does not lead " + SchedulerLoop.SERVICE
                    + (held == null ? " (it never led)" : " (it led with fence " + held.index() + ")"));
        }
        return held;
    }

    /** The last fence this scheduler led with, leading or not; null when it never led. */
    public Fence held() {
        return last;
    }

    void hold(Fence fence) {
        this.last = fence;
        this.leading = true;
    }

    void release() {
        this.leading = false;
    }
}
