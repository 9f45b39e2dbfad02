package dev.pier.api.discoverd;

import java.util.Optional;

/**
 * Whether a receiver carries out a change a leader asks for, judged from the {@link Fence} the leader sent, the
 * newest fence of that election the receiver has seen, and the election's current leader read from etcd by
 * quorum. Pure: the receiver does the reading ({@code dev.pier.web.fence.LeaderFence}).
 *
 * <ul>
 *   <li>{@link #judge}: the fence must be the current leader's, same candidate and same index. A candidate that
 *   lapsed and campaigned again holds a new index: its old fence is refused too.</li>
 *   <li>{@link #stale}: when the leader cannot be read, a fence older than the newest one the receiver last read is
 *   a deposed leader's (leaders' indexes only grow, see {@link Fence}) and is named as such; any other is refused
 *   as unconfirmed.</li>
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
     * A refusal unless {@code presented} is the fence of {@code current}, the leader of its election now as read by
     * quorum (null: nobody leads). The read is the authority: etcd's revisions start again from 1 when it loses its
     * data, so a fence lower than one seen before may be the current leader's.
     */
    public static Optional<Refusal> judge(Fence presented, Instance current) {
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
