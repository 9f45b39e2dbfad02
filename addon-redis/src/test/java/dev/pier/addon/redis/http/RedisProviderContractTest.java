package dev.pier.addon.redis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.addon.redis.RedisContainer;
import dev.pier.addon.redis.provision.RedisError;
import dev.pier.addon.redis.provision.RespConnection;
import dev.pier.api.http.PierApiException;
import dev.pier.api.provider.ProvidedResource;
import dev.pier.api.provider.ProviderContract;
import dev.pier.api.provider.ProvisionRequest;
import dev.pier.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shared provider contract (issue #18) run against the redis provider over HTTP, on a real server of the
 * pier/redis image; plus what this provider answers beyond it (a config it does not take, the config vars' shape).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class RedisProviderContractTest extends ProviderContract {
    static final String KEY = "redis-provider-contract-key";
    static final int PORT = FreePorts.next();
    static RedisContainer redis;

    @DynamicPropertySource
    static synchronized void properties(DynamicPropertyRegistry registry) throws IOException {
        if (redis == null) {
            redis = new RedisContainer("contract-test-password");
        }
        Path passwordFile = Files.createTempFile("redis-provider", ".password");
        Files.writeString(passwordFile, redis.password + "\n");
        registry.add("server.port", () -> PORT);
        registry.add("pier.cluster-key", () -> KEY);
        registry.add("pier.addon-redis.server-address", redis::address);
        registry.add("pier.addon-redis.server-job-address", () -> "172.31.0.1:56379");
        registry.add("pier.addon-redis.password-file", passwordFile::toString);
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected URI providerUrl() {
        return URI.create("http://127.0.0.1:" + PORT);
    }

    @Override
    protected String clusterKey() {
        return KEY;
    }

    /** The resource's credentials from its REDIS_URL, at the address this test reaches the server at. */
    static RespConnection connect(ProvidedResource resource) throws IOException {
        URI url = URI.create(resource.env().get("REDIS_URL"));
        String[] userInfo = url.getUserInfo().split(":", 2);
        return RespConnection.open(redis.address(), userInfo[0], userInfo[1]);
    }

    @Override
    protected void assertUsable(ProvidedResource resource) throws Exception {
        try (RespConnection app = connect(resource)) {
            String key = resource.env().get("REDIS_KEY_PREFIX") + "contract";
            assertThat(app.call("SET", key, "usable")).isEqualTo("OK");
            assertThat(app.call("GET", key)).isEqualTo("usable");
        }
    }

    @Override
    protected void assertGone(ProvidedResource resource) {
        assertThatThrownBy(() -> connect(resource).close()).isInstanceOf(RedisError.class)
                .hasMessageStartingWith("WRONGPASS");
    }

    @Test
    void theConfigVarsAreARedisUrlAtTheJobAddressAndTheKeyPrefix() {
        ProvidedResource resource = client().provision(new ProvisionRequest(null));
        try {
            assertThat(resource.id()).matches("[0-9a-f]{16}");
            assertThat(resource.env()).containsOnlyKeys("REDIS_URL", "REDIS_KEY_PREFIX");
            assertThat(resource.env().get("REDIS_URL"))
                    .matches("redis://u" + resource.id() + ":[A-Za-z0-9]{32}@172\\.31\\.0\\.1:56379");
            assertThat(resource.env()).containsEntry("REDIS_KEY_PREFIX", "r" + resource.id() + ":");
        } finally {
            client().deprovision(resource.id());
        }
    }

    @Test
    void aConfigIsRefusedNamingItsKeyAndNothingIsMade() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        providerUrl().resolve("/resources")).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"config\":{\"maxmemory\":\"1gb\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(answer.body()).contains("the redis provider takes no config, not 'maxmemory'")
                .contains("\"field\":\"config.maxmemory\"");
        try (RespConnection admin = redis.access().open(redis.address())) {
            assertThat(admin.call("HLEN", "pier:provider:resources")).isEqualTo(0L);
        }
    }

    @Test
    void anIdThatIsNoneOfThisProvidersIs404() {
        assertThatThrownBy(() -> client().deprovision("0123456789abcdef")).isInstanceOfSatisfying(
                PierApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("the redis provider has no resource '0123456789abcdef'");
                });
    }

    @Test
    void healthSaysTheServerIsUpAndItsJobAddress() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                providerUrl().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"server\":\"up\"", "\"job_addr\":\"172.31.0.1:56379\"");
    }

}
