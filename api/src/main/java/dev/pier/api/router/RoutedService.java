package dev.pier.api.router;

import java.util.List;

/**
 * What one router does for one service right now ({@code GET /services/{service}} on its admin port): the
 * domains it routes to the service, and the ids of the instances it sends their requests to (an instance id is
 * the job id). A deployment is complete only once every router routes the new release's jobs, and no old one.
 *
 * @param router    the router's id (its instance id in discoverd's {@code pier-router})
 * @param service   the service, e.g. {@code <app>-web}
 * @param domains   the domains routed to it, sorted
 * @param instances the instance ids it routes to, sorted
 */
public record RoutedService(String router, String service, List<String> domains, List<String> instances) {
    /** The discoverd service every router registers its admin address under. */
    public static final String ROUTER_SERVICE = "pier-router";

    public RoutedService {
        domains = domains == null ? List.of() : List.copyOf(domains);
        instances = instances == null ? List.of() : List.copyOf(instances);
    }
}
