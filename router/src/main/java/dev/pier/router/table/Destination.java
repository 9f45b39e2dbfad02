package dev.pier.router.table;

import java.util.List;

/**
 * Where a request for a host goes: its app, and the backends to try in order (the first is the round-robin
 * pick, the rest are failover candidates). {@code app} null means no route for the host; an empty
 * {@code backends} means the app has no instance up.
 */
public record Destination(String host, String app, String service, List<Backend> backends) {

    public boolean routed() {
        return app != null;
    }
}
