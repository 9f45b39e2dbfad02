package dev.pier.discoverd.registry;

import dev.pier.api.discoverd.Instance;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** What discoverd stores as the value of an instance or candidate key. */
public record Entry(String address, Map<String, String> meta) {
    public Entry {
        meta = meta == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(meta));
    }

    public Instance toInstance(String service, String id, long index) {
        return new Instance(service, id, address, meta, index);
    }
}
