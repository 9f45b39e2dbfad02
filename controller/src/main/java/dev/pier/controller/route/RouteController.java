package dev.pier.controller.route;

import dev.pier.api.NewRoute;
import dev.pier.api.Route;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class RouteController {
    private final RouteService routes;

    public RouteController(RouteService routes) {
        this.routes = routes;
    }

    @PostMapping("/apps/{app}/routes")
    @ResponseStatus(HttpStatus.CREATED)
    public Route addRoute(@PathVariable String app, @RequestBody NewRoute request) {
        return routes.add(app, request);
    }

    /** The app's routes, without TLS private keys. */
    @GetMapping("/apps/{app}/routes")
    public List<Route> listRoutes(@PathVariable String app) {
        return routes.list(app);
    }

    /** {@code route} is the route's id or its domain. */
    @DeleteMapping("/apps/{app}/routes/{route}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void removeRoute(@PathVariable String app, @PathVariable String route) {
        routes.remove(app, route);
    }

    /** Every route, with TLS keys: the router's view. */
    @GetMapping("/routes")
    public List<Route> listAllRoutes() {
        return routes.listAll();
    }
}
