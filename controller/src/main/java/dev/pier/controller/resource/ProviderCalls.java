package dev.pier.controller.resource;

import dev.pier.api.Provider;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.http.PierApiException;
import dev.pier.api.provider.ProvidedResource;
import dev.pier.api.provider.ProviderClient;
import dev.pier.api.provider.ProvisionRequest;
import dev.pier.controller.ControllerProperties;
import dev.pier.controller.cluster.ClusterHosts;
import dev.pier.web.ApiProblem;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Calls providers' APIs with the cluster key. A provider at {@code discoverd+http://SERVICE} is found at each call
 * (any live instance). Every failure becomes a problem that names the provider and the cause: 503 when it cannot
 * be reached (or has no live instance), 502 when it answers an error, 400 when it refuses the request's config.
 */
@Component
public class ProviderCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderCalls.class);

    private final ClusterHosts hosts;
    private final String clusterKey;
    private final Duration timeout;

    public ProviderCalls(ClusterHosts hosts, ControllerProperties properties,
                         @Value("${pier.cluster-key}") String clusterKey) {
        this.hosts = hosts;
        this.clusterKey = clusterKey;
        this.timeout = properties.providerTimeout();
    }

    public ProvidedResource provision(Provider provider, Map<String, Object> config) {
        return call(provider, "provision a resource", client -> client.provision(new ProvisionRequest(config)));
    }

    /** Deprovisions the provider's resource {@code externalId}; one the provider no longer knows is gone already. */
    public void deprovision(Provider provider, String externalId) {
        call(provider, "deprovision its resource " + externalId, client -> {
            try {
                client.deprovision(externalId);
            } catch (PierApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
                LOG.info("event=resource_already_gone provider={} external_id={}", provider.name(), externalId);
            }
            return null;
        });
    }

    /** Deprovisions what a failed request made, logging (not throwing) when that fails too. */
    public void deprovisionQuietly(Provider provider, String externalId) {
        try {
            deprovision(provider, externalId);
            LOG.info("event=resource_undone provider={} external_id={}", provider.name(), externalId);
        } catch (ApiProblem e) {
            LOG.warn("event=resource_orphaned provider={} external_id={} reason=\"{}\"", provider.name(), externalId,
                    e.getMessage());
        }
    }

    private <T> T call(Provider provider, String doing, Function<ProviderClient, T> call) {
        URI base = base(provider, doing);
        try {
            return call.apply(new ProviderClient(base, clusterKey, timeout));
        } catch (PierApiException e) {
            String cause = e.getMessage();
            if (e.status() == 0) {
                throw ApiProblem.unavailable("provider '" + provider.name() + "' cannot be reached at " + base
                        + " to " + doing + ": " + cause);
            }
            if (e.status() == 400 || e.status() == 422) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "provider '" + provider.name() + "' refused to " + doing
                        + ": " + cause, "config");
            }
            throw new ApiProblem(HttpStatus.BAD_GATEWAY, "provider '" + provider.name() + "' failed to " + doing
                    + " (HTTP " + e.status() + "): " + cause, null);
        }
    }

    private URI base(Provider provider, String doing) {
        ProviderAddress address = ProviderAddress.parse(provider.url()).address();
        if (address == null) {
            throw new IllegalStateException("provider " + provider.name() + " has a bad url " + provider.url());
        }
        if (address.fixed() != null) {
            return address.fixed();
        }
        List<Instance> instances;
        try {
            instances = hosts.instances(address.service(), "providers at " + ProviderAddress.DISCOVERD_SCHEME + " URLs");
        } catch (ApiProblem e) {
            throw ApiProblem.unavailable("provider '" + provider.name() + "' cannot be found to " + doing + ": "
                    + e.getMessage());
        }
        if (instances.isEmpty()) {
            throw ApiProblem.unavailable("provider '" + provider.name() + "' cannot be found to " + doing
                    + ": no instance of discoverd service " + address.service() + " is up");
        }
        Instance instance = instances.get(ThreadLocalRandom.current().nextInt(instances.size()));
        return URI.create("http://" + instance.address());
    }
}
