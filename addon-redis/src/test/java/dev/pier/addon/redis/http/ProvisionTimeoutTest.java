package dev.pier.addon.redis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.addon.redis.RedisCluster;
import dev.pier.api.App;
import dev.pier.testkit.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A server that does not come up within the provision wait (its image does not exist, so its job never starts): the
 * provision is a 503 naming what it waited for, and what it made is removed again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class ProvisionTimeoutTest {
    static final int PORT = FreePorts.next();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        RedisCluster cluster = RedisCluster.shared();
        registry.add("server.port", () -> PORT);
        registry.add("pier.cluster-key", () -> RedisCluster.KEY);
        registry.add("pier.addon-redis.controller-url", cluster.controllerUrl::toString);
        registry.add("pier.addon-redis.discoverd-url", cluster.discoverdUrl::toString);
        registry.add("pier.addon-redis.image", () -> "pier/redis:no-such-tag-" + PORT);
        registry.add("pier.addon-redis.base-port", () -> 30000 + (FreePorts.next() % 100) * 100);
        registry.add("pier.addon-redis.provision-wait", () -> "6s");
    }

    @Test
    void aServerNotUpInTimeIs503NamingWhatItWaitedForAndWhatWasMadeIsRemoved() throws Exception {
        RedisCluster cluster = RedisCluster.shared();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + PORT + "/resources"))
                .header("Authorization", "Bearer " + RedisCluster.KEY).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(answer.body()).contains("the redis provider is waiting for ").contains("not up after 6 s")
                .containsPattern("resource [0-9a-f]{16} is being removed again");
        String id = answer.body().replaceAll("(?s).*resource ([0-9a-f]{16}) is being removed again.*", "$1");
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            List<String> apps = cluster.controller.apps().stream().map(App::name).toList();
            assertThat(apps).doesNotContain("pier-redis-" + id);
            assertThat(cluster.controller.volumes("pier-redis-" + id)).isEmpty();
        });
    }
}
