package dev.pier.addon.postgres.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.provider.ProvidedResource;
import dev.pier.api.provider.ProviderContract;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.PostgresServer;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The shared provider contract (issue #18) run against the postgres provider, on the testkit's real PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class PostgresProviderContractTest extends ProviderContract {
    static final String KEY = "provider-contract-key";
    static final int PORT = FreePorts.next();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresServer postgres = PostgresServer.shared();
        registry.add("server.port", () -> PORT);
        registry.add("pier.cluster-key", () -> KEY);
        registry.add("pier.addon-postgres.server-address", () -> "127.0.0.1:" + postgres.port());
        registry.add("pier.addon-postgres.server-job-address", () -> "127.0.0.1:" + postgres.port());
        registry.add("pier.addon-postgres.superuser", () -> PostgresServer.USER);
    }

    @Override
    protected URI providerUrl() {
        return URI.create("http://127.0.0.1:" + PORT);
    }

    @Override
    protected String clusterKey() {
        return KEY;
    }

    static Connection connect(ProvidedResource resource) throws SQLException {
        var env = resource.env();
        return DriverManager.getConnection("jdbc:postgresql://" + env.get("PGHOST") + ":" + env.get("PGPORT") + "/"
                + env.get("PGDATABASE"), env.get("PGUSER"), env.get("PGPASSWORD"));
    }

    @Override
    protected void assertUsable(ProvidedResource resource) throws Exception {
        try (Connection app = connect(resource)) {
            assertThat(app.createStatement().execute("CREATE TABLE contract_check (x int)")).isFalse();
        }
    }

    @Override
    protected void assertGone(ProvidedResource resource) {
        assertThatThrownBy(() -> connect(resource).close()).isInstanceOf(SQLException.class);
    }
}
