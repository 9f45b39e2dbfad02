package dev.pier.api.router;

import dev.pier.api.http.JsonHttpClient;
import java.net.URI;
import java.time.Duration;

/** Typed client of a router's admin port (found through discoverd as {@link RoutedService#ROUTER_SERVICE}). */
public class RouterClient extends JsonHttpClient {

    public RouterClient(URI base, String clusterKey, Duration timeout) {
        super(base, clusterKey, timeout);
    }

    /** What the router routes to {@code service} now. */
    public RoutedService service(String service) {
        return get("/services/" + encode(service), RoutedService.class);
    }
}
