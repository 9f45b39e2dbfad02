package dev.pier.api.discoverd;

import dev.pier.api.Names;

/**
 * A leader's fencing token: who led which election, and the term it led in. The term is the {@link Instance#index()}
 * of its candidacy, etcd's create revision of its candidate key. A candidate leads while its key is the oldest of the
 * election's; a key that lapsed and is written again gets a new, higher revision. So the leaders of an election,
 * in the order they led, hold strictly increasing indexes: a lower index than the current leader's is a deposed
 * leader's, and nobody else can hold the current one. Sent as the {@value #HEADER} header
 * ({@code <service>/<leader>/<index>}) with every change a leader asks of another service, which refuses a stale
 * one ({@link Fencing}).
 *
 * @param service the election, e.g. {@code pier-scheduler}
 * @param leader  the candidate id that led it
 * @param index   the create revision of its candidacy when it led
 */
public record Fence(String service, String leader, long index) {
    /** The request header that carries a fence. */
    public static final String HEADER = "Pier-Fence";

    public Fence {
        if (service == null || !Names.SERVICE.matcher(service).matches()) {
            throw new IllegalArgumentException("a fence's service '" + Names.printable(String.valueOf(service)) + "' is not a service name");
        }
        if (leader == null || !Names.SERVICE.matcher(leader).matches()) {
            throw new IllegalArgumentException("a fence's leader '" + Names.printable(String.valueOf(leader)) + "' is not a candidate id");
        }
        if (index <= 0) {
            throw new IllegalArgumentException("a fence's index must be positive, not " + index);
        }
    }

    /** The fence of {@code leader}, the leader of {@code service} as discoverd answered. */
    public static Fence of(String service, Instance leader) {
        return new Fence(service, leader.id(), leader.index());
    }

    /** The header's value: {@code <service>/<leader>/<index>}. */
    public String header() {
        return service + "/" + leader + "/" + index;
    }

    /** Reads a header's value; throws {@link IllegalArgumentException} naming what is wrong. */
    public static Fence parse(String header) {
        String[] parts = header == null ? new String[0] : header.strip().split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException(HEADER + " must be <service>/<leader>/<index>, not '"
                    + (header == null ? "" : Names.printable(header)) + "'");
        }
        long index;
        try {
            index = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(HEADER + "'s index '" + Names.printable(parts[2]) + "' is not a number");
        }
        return new Fence(parts[0], parts[1], index);
    }

    /** How messages name it: {@code scheduler-a (fence 42)}. */
    public String describe() {
        return leader + " (fence " + index + ")";
    }
}
