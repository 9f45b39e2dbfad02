package dev.pier.hostagent.runtime;

import java.util.Locale;

/**
 * Whether a process listens on a TCP port, read from a network namespace's socket tables as Linux prints them
 * ({@code /proc/PID/net/tcp} and {@code tcp6}). This is what Heroku's boot check asks of a web process ("bound to
 * $PORT"), answered without a connection: Docker's userland proxy accepts connections on a published port whether
 * or not anything listens behind it, so a connection through it proves nothing until the app listens.
 */
public final class PortListeners {
    /** What the socket tables say of one port. */
    public enum Binding {
        /** Something listens on the port on every address (or on a non-loopback one): it can be reached. */
        LISTENING,
        /** Something listens on the port, but only on a loopback address: nothing outside its namespace reaches it. */
        LOOPBACK_ONLY,
        /** Nothing listens on the port. */
        NOT_LISTENING,
        /** The tables could not be read (no such process, or a runtime that cannot tell). */
        UNKNOWN
    }

    /** The {@code st} column's value for a listening socket ({@code TCP_LISTEN}). */
    private static final String LISTEN = "0A";

    private PortListeners() {
    }

    /**
     * The binding of {@code port} in the given tables ({@code tcp} and {@code tcp6} as read; either may be empty,
     * as when IPv6 is off). Lines that are not socket rows (the header, blank lines) are skipped.
     */
    public static Binding binding(int port, String tcp, String tcp6) {
        String wanted = String.format(Locale.ROOT, "%04X", port);
        boolean loopback = false;
        for (String table : new String[] {tcp, tcp6}) {
            if (table == null) {
                continue;
            }
            for (String line : table.split("\n")) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length < 4 || !columns[0].endsWith(":") || !LISTEN.equalsIgnoreCase(columns[3])) {
                    continue;
                }
                String local = columns[1];
                int colon = local.indexOf(':');
                if (colon < 0 || !local.substring(colon + 1).equalsIgnoreCase(wanted)) {
                    continue;
                }
                if (!isLoopback(local.substring(0, colon))) {
                    return Binding.LISTENING;
                }
                loopback = true;
            }
        }
        return loopback ? Binding.LOOPBACK_ONLY : Binding.NOT_LISTENING;
    }

    /**
     * Whether an address as the tables print it (hex, each 32-bit word in the host's byte order: little-endian on
     * every machine Pier runs on) is a loopback address: 127.0.0.0/8, {@code ::1}, or an IPv4-mapped 127.x.
     */
    static boolean isLoopback(String hex) {
        String address = hex.toUpperCase(Locale.ROOT);
        if (address.length() == 8) {
            return address.endsWith("7F"); // the first octet is the word's low byte, printed last
        }
        if (address.length() == 32) {
            if (address.equals("00000000000000000000000001000000")) {
                return true; // ::1
            }
            return address.startsWith("0000000000000000FFFF0000") && address.endsWith("7F"); // ::ffff:127.x.y.z
        }
        return false;
    }
}
