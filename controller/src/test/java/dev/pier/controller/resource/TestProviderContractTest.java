package dev.pier.controller.resource;

import dev.pier.api.provider.ProviderContract;
import dev.pier.api.provider.TestProvider;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The controller tests' provider passes the provider contract every real provider runs. */
class TestProviderContractTest extends ProviderContract {
    private static final String KEY = "contract-key-0123";
    private static TestProvider provider;

    @BeforeAll
    static void start() throws Exception {
        provider = new TestProvider(KEY, "DATABASE_URL", "PGPASSWORD");
    }

    @AfterAll
    static void stop() {
        provider.close();
    }

    @Override
    protected URI providerUrl() {
        return provider.url();
    }

    @Override
    protected String clusterKey() {
        return KEY;
    }
}
