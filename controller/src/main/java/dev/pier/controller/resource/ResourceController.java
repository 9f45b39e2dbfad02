package dev.pier.controller.resource;

import dev.pier.api.NewResource;
import dev.pier.api.Resource;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Resources made by providers, and their attachment to apps. Attaching and detaching make a new release of the app
 * and deploy it, as {@code PATCH /apps/{app}/env} does; the answer carries those releases.
 */
@RestController
public class ResourceController {
    private final ResourceService resources;
    private final ResourceRecords records;

    public ResourceController(ResourceService resources, ResourceRecords records) {
        this.resources = resources;
        this.records = records;
    }

    /** Asks the provider for a new resource, then attaches it to {@code apps}. */
    @PostMapping("/providers/{provider}/resources")
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "201", description = "the resource, with the release each app got by attaching it")
    @ApiResponse(responseCode = "409", description = "an app has a deployment under way, or already has config vars "
            + "of this resource from another one; nothing was made")
    @ApiResponse(responseCode = "502", description = "the provider answered an error; nothing was made")
    @ApiResponse(responseCode = "503", description = "the provider cannot be reached or found; nothing was made")
    public Resource provision(@PathVariable String provider,
                              @RequestBody(required = false) NewResource request) {
        return resources.provision(provider, request);
    }

    @GetMapping("/resources")
    public List<Resource> listResources() {
        return records.all();
    }

    @GetMapping("/resources/{resource}")
    public Resource getResource(@PathVariable String resource) {
        return records.get(resource);
    }

    @GetMapping("/apps/{app}/resources")
    public List<Resource> listAppResources(@PathVariable String app) {
        return records.ofApp(app);
    }

    /** Attaches a resource to an app: its config vars set on the app as a new release, deployed. */
    @PutMapping("/resources/{resource}/apps/{app}")
    @ApiResponse(responseCode = "200", description = "the resource, with the release the app got")
    @ApiResponse(responseCode = "409", description = "attached already, being deprovisioned, another resource of the "
            + "app sets the same config vars, or the app has a deployment under way")
    public Resource attach(@PathVariable String resource, @PathVariable String app) {
        return records.attach(resource, app);
    }

    /** Detaches a resource from an app: its config vars unset on the app as a new release, deployed. */
    @DeleteMapping("/resources/{resource}/apps/{app}")
    @ApiResponse(responseCode = "200", description = "the resource, with the release the app got (none when its "
            + "config vars were gone already)")
    @ApiResponse(responseCode = "409", description = "the app has a deployment under way")
    public Resource detach(@PathVariable String resource, @PathVariable String app) {
        return records.detach(resource, app);
    }

    /**
     * Deprovisions a resource at its provider and forgets it. While it is attached this is a 409 naming the apps,
     * unless {@code detach=true}: then it is detached from each first (new releases).
     */
    @DeleteMapping("/resources/{resource}")
    @ApiResponse(responseCode = "200", description = "the resource as it was, with the releases detaching it made")
    @ApiResponse(responseCode = "409", description = "attached to apps (named) and detach is not true, or an app has "
            + "a deployment under way")
    @ApiResponse(responseCode = "502", description = "the provider answered an error; the resource stays, detached")
    @ApiResponse(responseCode = "503", description = "the provider cannot be reached; the resource stays, detached")
    public Resource deprovision(@PathVariable String resource,
                                @RequestParam(defaultValue = "false") boolean detach) {
        return resources.deprovision(resource, detach);
    }
}
