package dev.pier.router.source;

import dev.pier.api.Route;
import dev.pier.api.controller.ControllerClient;
import java.util.List;
import java.util.Set;

/** Routes from the controller: {@code GET /routes}, re-read on route and app events. */
public final class ControllerRouteSource implements RouteSource {
    private final ControllerClient controller;

    public ControllerRouteSource(ControllerClient controller) {
        this.controller = controller;
    }

    @Override
    public List<Route> routes() {
        return controller.allRoutes();
    }

    @Override
    public AutoCloseable onChange(Runnable onChange) {
        return controller.followEvents(null, Set.of("route", "route_deletion", "app_deletion"), null,
                event -> onChange.run());
    }
}
