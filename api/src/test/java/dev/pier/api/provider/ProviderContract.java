package dev.pier.api.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.api.Names;
import dev.pier.api.http.Json;
import dev.pier.api.http.PierApiException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider API every add-on provider serves (the SPI between the controller and a provider, see
 * {@code docs/addons.md}), as a suite each implementation runs: extend it, start the provider, and answer its URL
 * and cluster key. Shipped in {@code pier-api}'s test jar ({@code <type>test-jar</type>}), so a provider's own module
 * runs the very checks the controller's test provider runs.
 *
 * <p>Each test deprovisions what it provisioned, also when it fails.
 */
public abstract class ProviderContract {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<String> made = new ArrayList<>();

    /** The provider's base URL, e.g. {@code http://127.0.0.1:8400}. */
    protected abstract URI providerUrl();

    /** The cluster key the provider checks. */
    protected abstract String clusterKey();

    /** The {@code config} of each provision request (empty unless the provider needs some). */
    protected Map<String, Object> config() {
        return Map.of();
    }

    /**
     * Checks that a provisioned resource is usable through its env (e.g. a database accepts its credentials).
     * Does nothing unless the implementation can check more than the wire.
     */
    protected void assertUsable(ProvidedResource resource) throws Exception {
    }

    /** Checks that a deprovisioned resource is gone (e.g. its role can no longer log in). */
    protected void assertGone(ProvidedResource resource) throws Exception {
    }

    protected ProviderClient client() {
        return new ProviderClient(providerUrl(), clusterKey());
    }

    private ProvidedResource provision() {
        ProvidedResource resource = client().provision(new ProvisionRequest(config()));
        if (resource != null && resource.id() != null) {
            made.add(resource.id());
        }
        return resource;
    }

    @AfterEach
    void deprovisionWhatWasMade() {
        for (String id : made) {
            try {
                client().deprovision(id);
            } catch (PierApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        made.clear();
    }

    @Test
    void provisionAnswersAnIdAndConfigVarsThatAreUsable() throws Exception {
        ProvidedResource resource = provision();
        assertThat(resource.id()).isNotBlank();
        assertThat(resource.env()).isNotEmpty();
        resource.env().forEach((name, value) -> {
            assertThat(Names.problemWithEnvName(name)).as("env name " + name).isEmpty();
            assertThat(value).as("value of " + name).isNotBlank();
        });
        assertUsable(resource);
    }

    @Test
    void provisionAnswers201WithJson() throws Exception {
        HttpResponse<String> response = send("POST", "/resources",
                Json.mapper().writeValueAsString(new ProvisionRequest(config())), clusterKey());
        JsonNode body = Json.mapper().readTree(response.body());
        if (body.hasNonNull("id")) {
            made.add(body.get("id").asText());
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(body.path("env").isObject()).isTrue();
    }

    @Test
    void eachProvisionIsADistinctResource() {
        ProvidedResource first = provision();
        ProvidedResource second = provision();
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.env()).isNotEqualTo(first.env());
    }

    @Test
    void getAnswersWhatProvisionAnswered() {
        ProvidedResource resource = provision();
        assertThat(client().resource(resource.id())).isEqualTo(resource);
    }

    @Test
    void deprovisionIs204ThenTheResourceIsGone() throws Exception {
        ProvidedResource resource = provision();
        HttpResponse<String> deleted = send("DELETE", "/resources/" + resource.id(), null, clusterKey());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThatThrownBy(() -> client().resource(resource.id())).isInstanceOfSatisfying(PierApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        HttpResponse<String> again = send("DELETE", "/resources/" + resource.id(), null, clusterKey());
        assertThat(again.statusCode()).as("a retried deprovision").isIn(204, 404);
        assertGone(resource);
    }

    @Test
    void anUnknownResourceIsAProblem404() throws Exception {
        HttpResponse<String> response = send("GET", "/resources/no-such-resource-0", null, clusterKey());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(Json.mapper().readTree(response.body()).path("detail").asText()).isNotBlank();
        assertThat(send("DELETE", "/resources/no-such-resource-0", null, clusterKey()).statusCode()).isEqualTo(404);
    }

    @Test
    void everyCallNeedsTheClusterKey() throws Exception {
        ProvidedResource resource = provision();
        String body = Json.mapper().writeValueAsString(new ProvisionRequest(config()));
        for (String key : new String[] {null, "wrong-" + clusterKey()}) {
            assertThat(send("POST", "/resources", body, key).statusCode()).as("provision with key " + key)
                    .isEqualTo(401);
            assertThat(send("GET", "/resources/" + resource.id(), null, key).statusCode()).isEqualTo(401);
            assertThat(send("DELETE", "/resources/" + resource.id(), null, key).statusCode()).isEqualTo(401);
        }
        assertThat(client().resource(resource.id())).as("still there after the refused delete").isEqualTo(resource);
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(providerUrl().toString().replaceAll("/$", "")
                        + path)).timeout(ProviderClient.DEFAULT_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
