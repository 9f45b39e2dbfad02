package dev.pier.discoverd.registry;

import dev.pier.api.discoverd.Candidacy;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.Leadership;
import dev.pier.api.discoverd.NewInstance;
import dev.pier.web.ApiProblem;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Instances and leader election over HTTP (see docs/discoverd.md); watch streams are in {@code watch}. */
@RestController
public class ServicesController {
    private final Registry registry;

    public ServicesController(Registry registry) {
        this.registry = registry;
    }

    @GetMapping("/services")
    public List<String> services() {
        return registry.services();
    }

    @PutMapping("/services/{service}/instances/{id}")
    public Instance register(@PathVariable String service, @PathVariable String id,
            @RequestBody(required = false) NewInstance body) {
        Input.service(service);
        Input.id("id", id);
        if (body == null) {
            throw ApiProblem.badRequest("address", "a JSON body with address (host:port) is required");
        }
        Entry entry = new Entry(Input.address(body.address()), Input.meta(body.meta()));
        return registry.put(Keys.Kind.INSTANCE, service, id, entry, Input.ttl(body.ttlSeconds(), registry.defaultTtl()));
    }

    @DeleteMapping("/services/{service}/instances/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deregister(@PathVariable String service, @PathVariable String id) {
        registry.delete(Keys.Kind.INSTANCE, Input.service(service), Input.id("id", id));
    }

    @GetMapping(value = "/services/{service}/instances", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Instance> instances(@PathVariable String service) {
        return registry.list(Keys.Kind.INSTANCE, Input.service(service));
    }

    @GetMapping("/services/{service}/leader")
    public Leadership leader(@PathVariable String service) {
        return new Leadership(Input.service(service), registry.leader(service).orElse(null));
    }

    @PutMapping("/services/{service}/leader")
    public Leadership campaign(@PathVariable String service, @RequestBody(required = false) Candidacy body) {
        Input.service(service);
        if (body == null) {
            throw ApiProblem.badRequest("id", "a JSON body with id and address is required");
        }
        String id = Input.id("id", body.id());
        Entry entry = new Entry(Input.address(body.address()), Input.meta(body.meta()));
        registry.put(Keys.Kind.CANDIDATE, service, id, entry, Input.ttl(body.ttlSeconds(), registry.defaultTtl()));
        return new Leadership(service, registry.leader(service).orElse(null));
    }

    @DeleteMapping("/services/{service}/leader/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void resign(@PathVariable String service, @PathVariable String id) {
        registry.delete(Keys.Kind.CANDIDATE, Input.service(service), Input.id("id", id));
    }
}
