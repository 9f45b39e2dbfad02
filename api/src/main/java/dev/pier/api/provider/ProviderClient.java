package dev.pier.api.provider;

import dev.pier.api.http.JsonHttpClient;
import java.net.URI;
import java.time.Duration;

/**
 * The typed client of a provider's API (the SPI between the controller and a provider; see {@code docs/addons.md}
 * and the contract suite {@code ProviderContract} in this module's test jar): provision, read and deprovision
 * resources, with the cluster key as the bearer token. Failures are {@link dev.pier.api.http.PierApiException}s
 * (status 0 when the provider cannot be reached).
 */
public class ProviderClient extends JsonHttpClient {
    /** Making a database can take a while on a loaded host. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public ProviderClient(URI base, String clusterKey) {
        this(base, clusterKey, DEFAULT_TIMEOUT);
    }

    public ProviderClient(URI base, String clusterKey, Duration timeout) {
        super(base, clusterKey, timeout);
    }

    public ProvidedResource provision(ProvisionRequest request) {
        return post("/resources", request, ProvidedResource.class);
    }

    public ProvidedResource resource(String id) {
        return get("/resources/" + encode(id), ProvidedResource.class);
    }

    public void deprovision(String id) {
        delete("/resources/" + encode(id));
    }
}
