package dev.pier.router.source;

import dev.pier.router.table.Backend;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Where the up instances of a service come from (discoverd in production, a map in tests). */
public interface InstanceSource {

    /** Watches {@code service}: {@code onChange} gets the whole up set on every change; close to stop. */
    AutoCloseable watch(String service, Consumer<List<Backend>> onChange);

    /**
     * Waits, at most {@code max}, until every open watch has had its first complete list from the source (a watch
     * starts empty, before it has heard from the source); true if every one has. A source that lists at once
     * (the maps of tests) has nothing to wait for.
     */
    default boolean awaitListed(Duration max) throws InterruptedException {
        return true;
    }
}
