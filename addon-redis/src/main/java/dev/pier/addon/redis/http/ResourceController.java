package dev.pier.addon.redis.http;

import dev.pier.addon.kit.ProviderApi.NewResource;
import dev.pier.addon.kit.ServerNotReady;
import dev.pier.addon.redis.instance.RedisInstances;
import dev.pier.api.Names;
import dev.pier.api.http.PierApiException;
import dev.pier.api.provider.ProvidedResource;
import dev.pier.web.ApiProblem;
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
 * The provider API (docs/addons.md) where a resource is a redis-server of its own ({@link RedisInstances}).
 * What the provider waits for (a server not up in time, a volume still held, a resource's job not announced) is a
 * 503 naming it; a controller or discoverd that cannot be reached is a 503 naming it; a full port range is a 503.
 */
@RestController
public class ResourceController {
    private static final String LABEL = "the redis provider";
    private final RedisInstances instances;

    public ResourceController(RedisInstances instances) {
        this.instances = instances;
    }

    @FunctionalInterface
    interface Call<T> {
        T call() throws ServerNotReady;
    }

    @GetMapping("/health")
    public Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", "ok");
        health.put("cluster", instances.unreachable().map(what -> "cannot reach " + what).orElse("reachable"));
        return health;
    }

    @PostMapping("/resources")
    public ResponseEntity<ProvidedResource> provision(@RequestBody(required = false) NewResource request) {
        if (request != null && request.config() != null && !request.config().isEmpty()) {
            String key = request.config().keySet().iterator().next();
            throw ApiProblem.badRequest("config." + Names.printable(key), "the redis provider takes no config, not '"
                    + Names.printable(key) + "'");
        }
        RedisInstances.ProvidedInstance made = call(instances::provision);
        return ResponseEntity.status(HttpStatus.CREATED).body(new ProvidedResource(made.instance().id(), made.env()));
    }

    @GetMapping("/resources/{id}")
    public ProvidedResource resource(@PathVariable("id") String id) {
        return call(() -> instances.find(id)).map(found -> new ProvidedResource(id, found.env()))
                .orElseThrow(() -> unknown(id));
    }

    @DeleteMapping("/resources/{id}")
    public ResponseEntity<Void> deprovision(@PathVariable("id") String id) {
        if (!call(() -> instances.deprovision(id))) {
            throw unknown(id);
        }
        return ResponseEntity.noContent().build();
    }

    private static ApiProblem unknown(String id) {
        return ApiProblem.notFound(LABEL + " has no resource '" + Names.printable(id) + "'");
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.call();
        } catch (ServerNotReady e) {
            throw ApiProblem.unavailable(LABEL + " is waiting for " + e.getMessage());
        } catch (RedisInstances.NoPortLeft e) {
            throw ApiProblem.unavailable(e.getMessage());
        } catch (PierApiException e) {
            throw ApiProblem.unavailable(LABEL + " cannot use the controller: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e.getCause() instanceof java.io.IOException) {
                throw ApiProblem.unavailable(LABEL + " cannot reach the controller or discoverd: " + e.getMessage());
            }
            throw e;
        }
    }
}
