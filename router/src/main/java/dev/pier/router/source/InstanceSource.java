package dev.pier.router.source;

import dev.pier.router.table.Backend;
import java.util.List;
import java.util.function.Consumer;

/** Where the up instances of a service come from (discoverd in production, a map in tests). */
public interface InstanceSource {

    /** Watches {@code service}: {@code onChange} gets the whole up set on every change; close to stop. */
    AutoCloseable watch(String service, Consumer<List<Backend>> onChange);
}
