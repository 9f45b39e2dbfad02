package dev.pier.hostagent.cluster;

/**
 * Asks whether a host's agent can be reached at its URL, for the host leader's lost-host rule ({@link
 * ClusterViewBuilder#toDeclareLost}). Only an {@link Reach#UNREACHABLE unreachable} answer shortens the wait:
 * a machine that answers, even by refusing the connection (its agent is being restarted), gets the whole lease.
 */
@FunctionalInterface
public interface HostProbe {
    /** What a connection to the host's agent found. */
    enum Reach {
        /** A connection was accepted: the agent's process listens (it may be slow, or have lost its lease). */
        ANSWERS,
        /** The machine refused the connection: its network stack runs, no agent listens on the port. */
        REFUSED,
        /** Nothing answered at all (no route, or no answer within the probe's timeout): the machine is gone or cut off. */
        UNREACHABLE,
        /** The URL could not be probed (no host or port in it, a name that does not resolve). */
        UNKNOWN
    }

    Reach reach(String url);

    /** Never shortens anything: every host is given its whole lease. */
    HostProbe NONE = url -> Reach.UNKNOWN;
}
