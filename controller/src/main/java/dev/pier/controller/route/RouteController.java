package dev.pier.controller.route;

import dev.pier.api.Names;
import dev.pier.api.NewRoute;
import dev.pier.api.Route;
import dev.pier.api.router.AppRouting;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import dev.pier.controller.cluster.ClusterHosts;
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
    private final ClusterHosts hosts;

    public RouteController(RouteService routes, ClusterHosts hosts) {
        this.routes = routes;
        this.hosts = hosts;
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

    /** The app's domains and what every router routes to its web service now. */
    @GetMapping("/apps/{app}/routing")
    @ApiResponse(responseCode = "200", description = "the app's domains and, per router, the instances it routes to")
    @ApiResponse(responseCode = "503", description = "discoverd is not configured or cannot be reached")
    public AppRouting appRouting(@PathVariable String app) {
        List<String> domains = routes.list(app).stream().map(Route::domain).sorted().toList();
        String service = Names.webService(app);
        return new AppRouting(app, service, domains, hosts.routing(service, "routing checks"));
    }

    /** Every route, with TLS keys: the router's view. */
    @GetMapping("/routes")
    public List<Route> listAllRoutes() {
        return routes.listAll();
    }
}
