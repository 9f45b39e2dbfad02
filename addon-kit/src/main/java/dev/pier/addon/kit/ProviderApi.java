package dev.pier.addon.kit;

import dev.pier.api.Names;
import dev.pier.api.provider.ProvidedResource;
import dev.pier.web.ApiProblem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

/**
 * The provider API the controller calls (docs/addons.md), for a provider whose resources live on one server:
 * {@code POST /resources} provisions, {@code GET /resources/{id}} shows a resource's config vars,
 * {@code DELETE /resources/{id}} drops it, {@code GET /health} says whether the server is up. Behind the cluster key
 * (the web module's filter). While the server is not up each resource call answers 503 naming what the provider
 * waits for; a server that cannot be used at the moment ({@link #unavailable}) is a 503 naming it; any other failure
 * is a bug (500). A subclass annotated {@code @RestController} does the provider's own work.
 */
public abstract class ProviderApi {
    private final Server server;
    private final String provider;
    private final String label;

    /** {@code provider}: its name ({@code redis}); {@code label}: its server in messages ({@code Redis server}). */
    protected ProviderApi(Server server, String provider, String label) {
        this.server = server;
        this.provider = provider;
        this.label = label;
    }

    /** {@code POST /resources}: {@code config} is optional; these providers take no settings. */
    public record NewResource(Map<String, Object> config) {
    }

    /** A call to the server at its endpoint. */
    @FunctionalInterface
    protected interface Call<T> {
        T call(ServerEndpoint endpoint) throws Exception;
    }

    protected abstract ProvidedResource provision(ServerEndpoint endpoint) throws Exception;

    /** The resource of this id, or empty when this provider has none by it (whatever the id looks like). */
    protected abstract Optional<ProvidedResource> find(ServerEndpoint endpoint, String id) throws Exception;

    /** Drops the resource and its data; false when this provider has none by that id. */
    protected abstract boolean deprovision(ServerEndpoint endpoint, String id) throws Exception;

    /** Whether this failure means the server cannot be used now (refused, dropped, shutting down): a 503. */
    protected abstract boolean unavailable(Exception failure);

    @GetMapping("/health")
    public Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", "ok");
        try {
            ServerEndpoint endpoint = server.endpoint();
            health.put("server", "up");
            health.put("job_addr", endpoint.jobAddress());
        } catch (ServerNotReady e) {
            health.put("server", "waiting for " + e.getMessage());
        }
        return health;
    }

    @PostMapping("/resources")
    public ResponseEntity<ProvidedResource> provision(@RequestBody(required = false) NewResource request) {
        if (request != null && request.config() != null && !request.config().isEmpty()) {
            String key = request.config().keySet().iterator().next();
            throw ApiProblem.badRequest("config." + Names.printable(key), "the " + provider + " provider takes no "
                    + "config, not '" + Names.printable(key) + "'");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(call(this::provision));
    }

    @GetMapping("/resources/{id}")
    public ProvidedResource resource(@PathVariable("id") String id) {
        return call(endpoint -> find(endpoint, id)).orElseThrow(() -> unknown(id));
    }

    @DeleteMapping("/resources/{id}")
    public ResponseEntity<Void> deprovision(@PathVariable("id") String id) {
        if (!call(endpoint -> deprovision(endpoint, id))) {
            throw unknown(id);
        }
        return ResponseEntity.noContent().build();
    }

    private ApiProblem unknown(String id) {
        return ApiProblem.notFound("the " + provider + " provider has no resource '" + Names.printable(id) + "'");
    }

    private <T> T call(Call<T> call) {
        ServerEndpoint endpoint;
        try {
            endpoint = server.endpoint();
        } catch (ServerNotReady e) {
            throw ApiProblem.unavailable("the " + label + " of this provider is not up yet: waiting for "
                    + e.getMessage());
        }
        try {
            return call.call(endpoint);
        } catch (Exception e) {
            if (unavailable(e)) {
                throw ApiProblem.unavailable("the " + label + " of this provider at " + endpoint.address()
                        + " cannot be used now: " + e.getMessage());
            }
            throw new IllegalStateException(label + " at " + endpoint.address() + ": " + e.getMessage(), e);
        }
    }
}
