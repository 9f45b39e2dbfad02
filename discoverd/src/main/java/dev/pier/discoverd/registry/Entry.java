package dev.pier.discoverd.registry;

import dev.pier.api.discoverd.Instance;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What discoverd stores as the value of an instance or candidate key: its address and meta, and the TTL of the
 * lease it was registered with ({@code ttlSeconds}; null in values written before it was stored), which is how
 * long its owner may take to register again after an outage.
 */
public record Entry(String address, Map<String, String> meta, Long ttlSeconds) {
    public Entry {
        meta = meta == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(meta));
    }

    public Entry(String address, Map<String, String> meta) {
        this(address, meta, null);
    }

    public Entry withTtl(long seconds) {
        return new Entry(address, meta, seconds);
    }

    public Instance toInstance(String service, String id, long index) {
        return new Instance(service, id, address, meta, index);
    }
}
