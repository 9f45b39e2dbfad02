package dev.pier.addon.redis.http;

import dev.pier.addon.kit.ProviderApi;
import dev.pier.addon.kit.Server;
import dev.pier.addon.kit.ServerEndpoint;
import dev.pier.addon.redis.provision.Grant;
import dev.pier.addon.redis.provision.RedisError;
import dev.pier.addon.redis.provision.RedisServerAccess;
import dev.pier.addon.redis.server.RedisServerSpec;
import dev.pier.api.provider.ProvidedResource;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.RestController;

/**
 * The provider API (docs/addons.md, {@link ProviderApi}): a resource is an ACL user and its key prefix. A server
 * that cannot be reached, drops the connection or is still loading its data is a 503 naming it; any other error
 * reply is a bug.
 */
@RestController
public class ResourceController extends ProviderApi {
    private static final List<String> NOT_NOW = List.of("LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN");
    private final RedisServerAccess access;

    public ResourceController(Server server, RedisServerAccess access) {
        super(server, "redis", RedisServerSpec.SPEC.label());
        this.access = access;
    }

    @Override
    protected ProvidedResource provision(ServerEndpoint endpoint) throws IOException {
        Grant grant = access.at(endpoint.address()).provision();
        return new ProvidedResource(grant.id(), grant.env(endpoint.jobAddress()));
    }

    @Override
    protected Optional<ProvidedResource> find(ServerEndpoint endpoint, String id) throws IOException {
        return access.at(endpoint.address()).find(id)
                .map(grant -> new ProvidedResource(grant.id(), grant.env(endpoint.jobAddress())));
    }

    @Override
    protected boolean deprovision(ServerEndpoint endpoint, String id) throws IOException {
        return access.at(endpoint.address()).deprovision(id);
    }

    @Override
    protected boolean unavailable(Exception failure) {
        return failure instanceof IOException || failure instanceof RedisError error && NOT_NOW.contains(error.code());
    }
}
