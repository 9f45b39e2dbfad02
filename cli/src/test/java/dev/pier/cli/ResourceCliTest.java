package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.pier.api.NewProvider;
import dev.pier.api.Resource;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.http.Json;
import dev.pier.api.provider.TestProvider;
import dev.pier.cli.config.ConfigStore;
import dev.pier.controller.ControllerApplication;
import dev.pier.testkit.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code pier resource} and {@code pier providers}: the real CLI against a real controller and PostgreSQL, with a
 * real provider over HTTP (the test provider of pier-api's test jar).
 */
@SpringBootTest(classes = ControllerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pier.cluster-key=" + ResourceCliTest.KEY, "server.address=127.0.0.1"})
class ResourceCliTest {
    static final String KEY = "resource-cli-test-key";
    private static final String DATABASE = PostgresServer.shared().newDatabase();

    @LocalServerPort
    int port;
    @TempDir
    Path home;
    ConfigStore store;
    ControllerClient client;
    TestProvider provider;
    String providerName;

    record Result(int code, String out, String err) {
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> PostgresServer.USER);
    }

    @BeforeEach
    void setUp() throws Exception {
        store = new ConfigStore(home.resolve(".pier/config.json"));
        Files.createDirectory(home.resolve("repo"));
        assertThat(pier("cluster", "add", "local", "http://127.0.0.1:" + port, KEY).code()).isZero();
        client = new ControllerClient(URI.create("http://127.0.0.1:" + port), KEY);
        provider = new TestProvider(KEY, "DATABASE_URL", "PGPASSWORD");
        providerName = name("pg");
        client.createProvider(new NewProvider(providerName, provider.url().toString(), "test databases"));
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    Result pier(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Pier.execute(args, store, home.resolve("repo"), new PrintWriter(out), new PrintWriter(err),
                new SystemTerminal());
        return new Result(code, out.toString(), err.toString());
    }

    static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void addListInfoAndRemoveAResourceWithoutPrintingItsSecrets() throws Exception {
        String app = name("res");
        assertThat(pier("create", app, "--no-remote").code()).isZero();

        Result providers = pier("providers");
        assertThat(providers.out()).containsPattern(providerName + "\\s+" + provider.url() + "\\s+test databases");

        Result added = pier("-a", app, "resource", "add", providerName);
        assertThat(added.code()).as(added.err()).isZero();
        Resource resource = client.appResources(app).get(0);
        assertThat(added.out()).isEqualTo("Created resource " + resource.id() + " (" + providerName + ")\n"
                + "Attached it to " + app + ": set DATABASE_URL, PGPASSWORD in v1\n");
        assertThat(client.env(app)).containsAllEntriesOf(resource.env());

        Result listed = pier("-a", app, "resource");
        assertThat(listed.out()).contains(resource.id().toString(), providerName, app, "DATABASE_URL,PGPASSWORD");
        assertThat(pier("-a", app, "resource", "list").out()).isEqualTo(listed.out());
        assertThat(pier("resource", "list", "--all").out()).contains(resource.id().toString());
        Result info = pier("resource", "info", resource.id().toString());
        assertThat(info.out()).contains("=== Resource " + resource.id(), "Provider:     " + providerName,
                "Apps:         " + app, "Config vars:  DATABASE_URL, PGPASSWORD");
        for (Result shown : List.of(added, listed, info)) {
            assertThat(shown.out()).as("no secrets").doesNotContain(resource.env().get("PGPASSWORD"));
        }
        List<Resource> json = Json.mapper().readValue(pier("-a", app, "resource", "--json").out(),
                new TypeReference<>() { });
        assertThat(json).extracting(Resource::env).containsExactly(resource.env());

        Result unconfirmed = pier("resource", "remove", resource.id().toString());
        assertThat(unconfirmed.code()).isEqualTo(1);
        assertThat(unconfirmed.err()).isEqualTo("pier: removing resource " + resource.id() + " (" + providerName
                + ") needs confirmation: run it in a terminal or add --yes\n");
        assertThat(provider.held()).containsExactly(resource.externalId());
        assertThat(client.resource(resource.id()).apps()).containsExactly(app);

        Result removed = pier("resource", "remove", resource.id().toString(), "--yes");
        assertThat(removed.code()).as(removed.err()).isZero();
        assertThat(removed.out()).isEqualTo("Detached it from " + app + ": unset DATABASE_URL, PGPASSWORD in v2\n"
                + "Removed resource " + resource.id() + " (" + providerName + ")\n");
        assertThat(provider.held()).isEmpty();
        assertThat(client.env(app)).isEmpty();
        assertThat(pier("-a", app, "resource").out()).startsWith("No resources attached to " + app);
    }

    @Test
    void unknownProvidersAndResourcesAndAttachingTwiceAreOneClearLineAndChangeNothing() {
        String app = name("bad");
        pier("create", app, "--no-remote");
        Result unknownProvider = pier("-a", app, "resource", "add", "no-such-provider");
        assertThat(unknownProvider.code()).isEqualTo(1);
        assertThat(unknownProvider.err()).isEqualTo("pier: no provider 'no-such-provider' (GET /providers, or "
                + "'pier providers', lists them)\n");
        assertThat(provider.provisions()).isZero();

        UUID unknown = UUID.randomUUID();
        assertThat(pier("resource", "info", unknown.toString()).err())
                .isEqualTo("pier: no resource " + unknown + " ('pier resource list --all' lists them)\n");
        assertThat(pier("resource", "remove", unknown.toString(), "--yes").err())
                .isEqualTo("pier: no resource " + unknown + " ('pier resource list --all' lists them)\n");
        assertThat(pier("resource", "info", "abc").err())
                .isEqualTo("pier: 'abc' is not a resource id ('pier resource list' shows them)\n");

        assertThat(pier("-a", app, "resource", "add", providerName).code()).isZero();
        Resource resource = client.appResources(app).get(0);
        Result again = pier("-a", app, "resource", "add", providerName);
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("pier: the new resource of provider '" + providerName + "' sets "
                + "DATABASE_URL, PGPASSWORD, which resource " + resource.id() + " (" + providerName + ") sets on app '"
                + app + "' already: detach that one first\n");
        assertThat(provider.held()).as("the second one was dropped again").containsExactly(resource.externalId());

        Result twice = pier("-a", app, "resource", "attach", resource.id().toString());
        assertThat(twice.code()).isEqualTo(1);
        assertThat(twice.err()).isEqualTo("pier: resource " + resource.id() + " (" + providerName
                + ") is attached to app '" + app + "' already\n");
        assertThat(client.releases(app)).hasSize(1);

        String other = name("other");
        pier("create", other, "--no-remote");
        assertThat(pier("-a", other, "resource", "attach", resource.id().toString()).out())
                .isEqualTo("Attached resource " + resource.id() + " (" + providerName + ") to " + other
                        + ": set DATABASE_URL, PGPASSWORD in v1\n");
        Result inUse = pier("-a", other, "resource", "detach", resource.id().toString());
        assertThat(inUse.out()).isEqualTo("Detached resource " + resource.id() + " (" + providerName + ") from "
                + other + ": unset DATABASE_URL, PGPASSWORD in v2\n");
        assertThat(pier("-a", other, "resource", "detach", resource.id().toString()).err())
                .isEqualTo("pier: resource " + resource.id() + " (" + providerName + ") is not attached to app '"
                        + other + "'\n");
        assertThat(client.resource(resource.id()).apps()).containsExactly(app);
    }
}
