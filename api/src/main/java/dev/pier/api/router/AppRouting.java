package dev.pier.api.router;

import java.util.List;

/**
 * {@code GET /apps/{app}/routing}: the app's domains (its routes) and what every router of the cluster routes
 * to its web service now, so that a client can tell when a change is served ({@link Routing#judge}).
 */
public record AppRouting(String app, String service, List<String> domains, List<RouterAnswer> routers) {
    public AppRouting {
        domains = domains == null ? List.of() : List.copyOf(domains);
        routers = routers == null ? List.of() : List.copyOf(routers);
    }
}
