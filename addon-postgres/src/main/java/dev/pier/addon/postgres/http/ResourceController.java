package dev.pier.addon.postgres.http;

import dev.pier.addon.postgres.provision.Credentials;
import dev.pier.addon.postgres.provision.Provisioner;
import dev.pier.addon.postgres.provision.Provisioners;
import dev.pier.addon.kit.Server;
import dev.pier.addon.kit.ServerEndpoint;
import dev.pier.addon.kit.ServerNotReady;
import dev.pier.api.Names;
import dev.pier.web.ApiProblem;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The provider API the controller calls (docs/addons.md): {@code POST /resources} provisions a database and its
 * role, {@code GET /resources/{id}} shows its config vars, {@code DELETE /resources/{id}} drops both. Behind the
 * cluster key. While the server is not up, each answers 503 naming what the provider waits for.
 */
@RestController
public class ResourceController {
    private final Server server;
    private final Provisioners provisioners;

    public ResourceController(Server server, Provisioners provisioners) {
        this.server = server;
        this.provisioners = provisioners;
    }

    /** {@code POST /resources}: {@code config} is optional; this provider takes no settings. */
    public record NewResource(Map<String, Object> config) {
    }

    /** A resource: the provider's id and the config vars an app attached to it gets. */
    public record ResourceView(String id, Map<String, String> env) {
    }

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
    public ResponseEntity<ResourceView> provision(@RequestBody(required = false) NewResource request) {
        if (request != null && request.config() != null && !request.config().isEmpty()) {
            String key = request.config().keySet().iterator().next();
            throw ApiProblem.badRequest("config." + Names.printable(key), "the postgres provider takes no config, "
                    + "not '" + Names.printable(key) + "'");
        }
        ServerEndpoint endpoint = endpoint();
        Credentials credentials = sql(endpoint, () -> provisioner(endpoint).provision());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new ResourceView(credentials.id(), credentials.env(endpoint.jobAddress())));
    }

    @GetMapping("/resources/{id}")
    public ResourceView resource(@PathVariable("id") String id) {
        ServerEndpoint endpoint = endpoint();
        Credentials credentials = sql(endpoint, () -> provisioner(endpoint).find(id))
                .orElseThrow(() -> unknown(id));
        return new ResourceView(credentials.id(), credentials.env(endpoint.jobAddress()));
    }

    @DeleteMapping("/resources/{id}")
    public ResponseEntity<Void> deprovision(@PathVariable("id") String id) {
        ServerEndpoint endpoint = endpoint();
        if (!sql(endpoint, () -> provisioner(endpoint).deprovision(id))) {
            throw unknown(id);
        }
        return ResponseEntity.noContent().build();
    }

    private static ApiProblem unknown(String id) {
        return ApiProblem.notFound("the postgres provider has no resource '" + Names.printable(id) + "'");
    }

    private Provisioner provisioner(ServerEndpoint endpoint) {
        return provisioners.at(endpoint.address());
    }

    private ServerEndpoint endpoint() {
        try {
            return server.endpoint();
        } catch (ServerNotReady e) {
            throw ApiProblem.unavailable("the PostgreSQL server of this provider is not up yet: waiting for "
                    + e.getMessage());
        }
    }

    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    /** A connection the server refuses or drops is a 503 naming the server; any other SQL failure is a bug. */
    private static <T> T sql(ServerEndpoint endpoint, SqlCall<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) {
                throw ApiProblem.unavailable("the PostgreSQL server of this provider at " + endpoint.address()
                        + " cannot be used now: " + e.getMessage());
            }
            throw new IllegalStateException("PostgreSQL at " + endpoint.address() + ": " + e.getMessage(), e);
        }
    }
}
