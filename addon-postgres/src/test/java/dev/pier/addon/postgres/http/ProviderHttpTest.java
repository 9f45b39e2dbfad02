package dev.pier.addon.postgres.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The provider API over real HTTP (the contract of docs/addons.md), provisioning on the real PostgreSQL server
 * the testkit starts (given as a server the provider does not run): the cluster key, 201/200/204/404 and
 * problem+json for bad input.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class ProviderHttpTest {
    static final String KEY = "provider-test-key";
    static final int PORT = FreePorts.next();
    static final String JOB_ADDRESS = "172.31.255.1:55432";
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresServer postgres = PostgresServer.shared();
        registry.add("server.port", () -> PORT);
        registry.add("pier.cluster-key", () -> KEY);
        registry.add("pier.addon-postgres.server-address", () -> "127.0.0.1:" + postgres.port());
        registry.add("pier.addon-postgres.server-job-address", () -> JOB_ADDRESS);
        registry.add("pier.addon-postgres.superuser", () -> PostgresServer.USER);
    }

    HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void provisionShowAndDeprovisionAResource() throws Exception {
        HttpResponse<String> created = send("POST", "/resources", "{\"config\":{}}", KEY);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode resource = json.readTree(created.body());
        String id = resource.get("id").asText();
        JsonNode env = resource.get("env");
        String user = env.get("PGUSER").asText();
        String database = env.get("PGDATABASE").asText();
        String password = env.get("PGPASSWORD").asText();
        assertThat(env.get("DATABASE_URL").asText())
                .isEqualTo("postgres://" + user + ":" + password + "@" + JOB_ADDRESS + "/" + database);
        assertThat(env.get("PGHOST").asText()).isEqualTo("172.31.255.1");
        assertThat(env.get("PGPORT").asText()).isEqualTo("55432");
        // the database is real, and its role works in it
        try (Connection app = DriverManager.getConnection(PostgresServer.shared().jdbcUrl(database), user, password)) {
            ResultSet who = app.createStatement().executeQuery("SELECT current_user, current_database()");
            assertThat(who.next()).isTrue();
            assertThat(who.getString(1)).isEqualTo(user);
            assertThat(who.getString(2)).isEqualTo(database);
        }

        HttpResponse<String> shown = send("GET", "/resources/" + id, null, KEY);
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(json.readTree(shown.body())).isEqualTo(resource);

        assertThat(send("DELETE", "/resources/" + id, null, KEY).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = send("GET", "/resources/" + id, null, KEY);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json.readTree(gone.body()).get("detail").asText())
                .isEqualTo("the postgres provider has no resource '" + id + "'");
        assertThat(send("DELETE", "/resources/" + id, null, KEY).statusCode()).isEqualTo(404);
        try (Connection admin = DriverManager.getConnection(PostgresServer.shared().jdbcUrl("postgres"),
                PostgresServer.USER, "")) {
            assertThat(admin.createStatement().executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database
                    + "'").next()).isFalse();
        }
    }

    @Test
    void aResourceCanBeProvisionedWithoutABody() throws Exception {
        HttpResponse<String> created = send("POST", "/resources", null, KEY);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json.readTree(created.body()).get("id").asText();
        assertThat(send("DELETE", "/resources/" + id, null, KEY).statusCode()).isEqualTo(204);
    }

    @Test
    void everyCallNeedsTheClusterKey() throws Exception {
        for (HttpResponse<String> answer : new HttpResponse[] {send("POST", "/resources", "{}", null),
                send("POST", "/resources", "{}", "wrong-key"), send("GET", "/resources/0123456789abcdef", null, null),
                send("DELETE", "/resources/0123456789abcdef", null, "wrong-key")}) {
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
        assertThat(send("GET", "/health", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void badInputIsAProblemNamingTheField() throws Exception {
        HttpResponse<String> config = send("POST", "/resources", "{\"config\":{\"version\":\"16\"}}", KEY);
        assertThat(config.statusCode()).isEqualTo(400);
        assertThat(json.readTree(config.body()).get("field").asText()).isEqualTo("config.version");
        assertThat(json.readTree(config.body()).get("detail").asText())
                .isEqualTo("the postgres provider takes no config, not 'version'");

        HttpResponse<String> unknownField = send("POST", "/resources", "{\"plan\":\"big\"}", KEY);
        assertThat(unknownField.statusCode()).isEqualTo(400);
        assertThat(json.readTree(unknownField.body()).get("field").asText()).isEqualTo("plan");

        HttpResponse<String> malformed = send("POST", "/resources", "{\"config\":", KEY);
        assertThat(malformed.statusCode()).isEqualTo(400);

        HttpResponse<String> notAnId = send("GET", "/resources/..%2Fetc", null, KEY);
        assertThat(notAnId.statusCode()).isIn(400, 404);
        assertThat(send("DELETE", "/resources/not-an-id", null, KEY).statusCode()).isEqualTo(404);
    }
}
