package dev.pier.controller.resource;

import dev.pier.api.NewProvider;
import dev.pier.api.Provider;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Add-on providers: services that provision resources for apps (see docs/addons.md). */
@RestController
public class ProviderController {
    private final ResourceRecords records;

    public ProviderController(ResourceRecords records) {
        this.records = records;
    }

    /** Registers a provider: {@code url} is {@code http://HOST:PORT} or {@code discoverd+http://SERVICE}. */
    @PostMapping("/providers")
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "201", description = "the provider")
    @ApiResponse(responseCode = "409", description = "a provider of that name exists already")
    public Provider createProvider(@RequestBody NewProvider request) {
        return records.createProvider(request);
    }

    /** By name. */
    @GetMapping("/providers")
    public List<Provider> listProviders() {
        return records.providers();
    }

    @GetMapping("/providers/{provider}")
    public Provider getProvider(@PathVariable String provider) {
        return records.provider(provider);
    }
}
