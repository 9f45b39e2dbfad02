package dev.pier.controller.resource;

import dev.pier.api.Names;
import dev.pier.api.NewResource;
import dev.pier.api.Provider;
import dev.pier.api.Resource;
import dev.pier.api.provider.ProvidedResource;
import dev.pier.web.ApiProblem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Provisioning and deprovisioning: the provider's HTTP API is called outside any transaction (it may take
 * seconds), between the transactions of {@link ResourceRecords}. A provision that cannot be recorded or attached is
 * deprovisioned again at the provider, so a failed request leaves neither a row nor a database behind.
 */
@Service
public class ResourceService {
    private static final int MAX_ENV = 100;

    private final ResourceRecords records;
    private final ProviderCalls calls;

    public ResourceService(ResourceRecords records, ProviderCalls calls) {
        this.records = records;
        this.calls = calls;
    }

    public Resource provision(String providerName, NewResource request) {
        Provider provider = records.provider(providerName);
        List<String> apps = records.attachable(request == null ? null : request.apps());
        Map<String, Object> config = request == null || request.config() == null ? Map.of() : request.config();
        ProvidedResource made = calls.provision(provider, config);
        Optional<String> problem = problemWith(made);
        if (problem.isPresent()) {
            if (made != null && made.id() != null && !made.id().isBlank()) {
                calls.deprovisionQuietly(provider, made.id());
            }
            throw new ApiProblem(HttpStatus.BAD_GATEWAY, "provider '" + provider.name()
                    + "' answered a resource Pier cannot use: " + problem.get(), null);
        }
        try {
            return records.create(provider, made, apps);
        } catch (RuntimeException e) {
            calls.deprovisionQuietly(provider, made.id());
            throw e;
        }
    }

    /** What is wrong with a provider's answer to a provision, if anything. */
    static Optional<String> problemWith(ProvidedResource made) {
        if (made == null) {
            return Optional.of("no body");
        }
        if (made.id() == null || made.id().isBlank() || made.id().length() > 200) {
            return Optional.of("its id is missing or longer than 200 characters");
        }
        if (made.env().isEmpty() || made.env().size() > MAX_ENV) {
            return Optional.of("it sets " + made.env().size() + " config vars (1 to " + MAX_ENV + " expected)");
        }
        for (Map.Entry<String, String> var : made.env().entrySet()) {
            Optional<String> bad = Names.problemWithEnvName(var.getKey())
                    .or(() -> var.getValue() == null ? Optional.of("config var " + var.getKey() + " has no value")
                            : Names.problemWithEnvValue(var.getKey(), var.getValue()));
            if (bad.isPresent()) {
                return bad;
            }
        }
        return Optional.empty();
    }

    /**
     * Deprovisions a resource: detached first when {@code detach} (else 409 while attached), then dropped by its
     * provider, then forgotten. When the provider fails, the resource stays (detached, deprovisioning) and the
     * problem says so: deprovisioning again retries.
     */
    public Resource deprovision(String resourceId, boolean detach) {
        Resource resource = records.startDeprovision(resourceId, detach);
        UUID id = resource.id();
        Provider provider = records.providerOf(id);
        try {
            calls.deprovision(provider, resource.externalId());
        } catch (ApiProblem e) {
            String detached = resource.releases() == null || resource.releases().isEmpty() ? ""
                    : " It was detached from " + ResourceRecords.appList(resource.releases().stream()
                    .map(Resource.AppReleaseChange::app).toList()) + " first.";
            throw new ApiProblem(e.status(), e.getMessage() + ". Resource " + id + " stays, detached: deprovision it "
                    + "again to retry." + detached, e.field());
        }
        records.deleted(id);
        return new Resource(id, resource.provider(), resource.externalId(), resource.env(), List.of(),
                resource.createdAt(), resource.releases());
    }

}
