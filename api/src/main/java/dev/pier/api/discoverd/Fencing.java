package dev.pier.api.discoverd;

import java.util.Optional;

/**
 * Whether a receiver carries out a change a leader asks for, judged from the {@link Fence} the leader sent, the
 * newest fence of that election the receiver has seen, and the election's current leader read from etcd by
 * quorum. Pure: the receiver does the reading ({@code dev.pier.web.fence.LeaderFence}).
 *
 * <ul>
 *   <li>{@link #stale}: a fence older than the newest one seen is a deposed leader's (leaders' indexes only grow,
 *   see {@link Fence}); refused without asking anyone, so even a receiver cut off from etcd refuses it.</li>
 *   <li>{@link #judge}: the fence must be the current leader's, same candidate and same index. A candidate that
 *   lapsed and campaigned again holds a new index: its old fence is refused too.</li>
 * </ul>
 */
public final class Fencing {
    private Fencing() {
    }

    /**
     * Whether a receiver answered a change with a refusal of the fence sent with it: 409 (not the current leader's)
     * or 503 (the receiver could not confirm who leads), the problem's {@code field} naming the header. Either way
     * the sender must not act as the leader.
     */
    public static boolean isRefusal(dev.pier.api.http.PierApiException e) {
        return Fence.HEADER.equals(e.field()) && (e.status() == 409 || e.status() == 503);
    }

    /** Why a fence is refused: {@code detail} names the stale leader and who leads instead, when known. */
    public record Refusal(String detail) {
    }

    /** A refusal when {@code presented} is older than {@code newestSeen} (0: none seen yet), else empty. */
    public static Optional<Refusal> stale(Fence presented, long newestSeen) {
        if (presented.index() < newestSeen) {
            return Optional.of(new Refusal(presented.describe() + " no longer leads " + presented.service()
                    + ": a newer leader (fence " + newestSeen + ") has led since"));
        }
        return Optional.empty();
    }

    /**
     * A refusal unless {@code presented} is the fence of {@code current}, the leader of its election now (null:
     * nobody leads), and not older than {@code newestSeen}.
     */
    public static Optional<Refusal> judge(Fence presented, long newestSeen, Instance current) {
        Optional<Refusal> stale = stale(presented, newestSeen);
        if (stale.isPresent()) {
            return stale;
        }
        if (current == null) {
            return Optional.of(new Refusal(presented.describe() + " no longer leads " + presented.service()
                    + ": nobody leads it now"));
        }
        if (!current.id().equals(presented.leader()) || current.index() != presented.index()) {
            return Optional.of(new Refusal(presented.describe() + " no longer leads " + presented.service() + ": "
                    + current.id() + " (fence " + current.index() + ") does"));
        }
        return Optional.empty();
    }
}
