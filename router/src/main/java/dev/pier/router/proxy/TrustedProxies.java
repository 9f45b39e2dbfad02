package dev.pier.router.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The front proxies whose {@code Forwarded} and {@code X-Forwarded-*} headers the router believes
 * ({@code pier.router.trusted-proxies}): addresses ({@code 10.0.0.5}, {@code ::1}) and networks in CIDR form
 * ({@code 10.0.0.0/8}). Pure; parsed once at start.
 */
public final class TrustedProxies {
    private record Network(byte[] address, int prefix) {
    }

    private static final TrustedProxies NONE = new TrustedProxies(List.of());
    private final List<Network> networks;

    private TrustedProxies(List<Network> networks) {
        this.networks = networks;
    }

    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Parses the configured list; a value that is not an IP address or CIDR network is an
     * {@link IllegalArgumentException} naming it. Host names are refused (they would be looked up in DNS).
     */
    public static TrustedProxies parse(List<String> values) {
        List<Network> networks = new ArrayList<>();
        for (String raw : values) {
            String value = raw.strip();
            if (value.isEmpty()) {
                continue;
            }
            int slash = value.indexOf('/');
            String address = slash < 0 ? value : value.substring(0, slash);
            if (!address.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                throw new IllegalArgumentException("'" + value + "' is not an IP address or a CIDR network");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + value + "' is not an IP address or a CIDR network");
            }
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(value.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("'" + value + "' has a prefix length out of 0.."
                            + bytes.length * 8);
                }
            }
            networks.add(new Network(bytes, prefix));
        }
        return networks.isEmpty() ? NONE : new TrustedProxies(List.copyOf(networks));
    }

    /** Whether a client connecting from {@code address} is one of the trusted proxies. */
    public boolean contains(InetAddress address) {
        if (address == null || networks.isEmpty()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (Network network : networks) {
            if (network.address().length == bytes.length && matches(network.address(), bytes, network.prefix())) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] network, byte[] address, int prefix) {
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (network[i] != address[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (network[full] & mask) == (address[full] & mask);
    }
}
