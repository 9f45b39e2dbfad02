package dev.pier.addon.postgres.http;

import dev.pier.addon.kit.ProviderApi;
import dev.pier.addon.kit.Server;
import dev.pier.addon.kit.ServerEndpoint;
import dev.pier.addon.postgres.provision.Credentials;
import dev.pier.addon.postgres.provision.Provisioner;
import dev.pier.addon.postgres.provision.Provisioners;
import dev.pier.addon.postgres.server.PostgresServerSpec;
import dev.pier.api.provider.ProvidedResource;
import java.sql.SQLException;
import java.util.Optional;
import org.springframework.web.bind.annotation.RestController;

/**
 * The provider API (docs/addons.md, {@link ProviderApi}): a resource is a database and its role. A connection the
 * server refuses or drops is a 503 naming the server; any other SQL failure is a bug.
 */
@RestController
public class ResourceController extends ProviderApi {
    private final Provisioners provisioners;

    public ResourceController(Server server, Provisioners provisioners) {
        super(server, "postgres", PostgresServerSpec.SPEC.label());
        this.provisioners = provisioners;
    }

    @Override
    protected ProvidedResource provision(ServerEndpoint endpoint) throws SQLException {
        Credentials credentials = provisioner(endpoint).provision();
        return new ProvidedResource(credentials.id(), credentials.env(endpoint.jobAddress()));
    }

    @Override
    protected Optional<ProvidedResource> find(ServerEndpoint endpoint, String id) throws SQLException {
        return provisioner(endpoint).find(id).map(c -> new ProvidedResource(c.id(), c.env(endpoint.jobAddress())));
    }

    @Override
    protected boolean deprovision(ServerEndpoint endpoint, String id) throws SQLException {
        return provisioner(endpoint).deprovision(id);
    }

    @Override
    protected boolean unavailable(Exception failure) {
        if (!(failure instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"));
    }

    private Provisioner provisioner(ServerEndpoint endpoint) {
        return provisioners.at(endpoint.address());
    }
}
