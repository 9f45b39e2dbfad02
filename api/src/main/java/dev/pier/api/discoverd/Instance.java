package dev.pier.api.discoverd;

import java.util.Map;

/**
 * One registered instance of a service, as discoverd lists it.
 *
 * @param service the service name (see {@link dev.pier.api.Names#SERVICE})
 * @param id      the instance id, unique within the service (same rule as service names)
 * @param address where to reach it, {@code host:port}
 * @param meta    free-form string metadata (e.g. {@code app}, {@code release}, {@code job}); never null
 * @param index   etcd's create revision of the registration: a lower index registered earlier; the
 *                candidate with the lowest index leads an election
 */
public record Instance(String service, String id, String address, Map<String, String> meta, long index) {
    public Instance {
        meta = meta == null ? Map.of() : Map.copyOf(meta);
    }

    /** The host part of {@link #address()}. */
    public String host() {
        int colon = address.lastIndexOf(':');
        return colon < 0 ? address : address.substring(0, colon);
    }

    /** The port part of {@link #address()}, or -1 when it has none. */
    public int port() {
        int colon = address.lastIndexOf(':');
        try {
            return colon < 0 ? -1 : Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
