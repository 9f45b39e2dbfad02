package dev.pier.addon.redis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pier.addon.redis.RedisCluster;
import dev.pier.addon.redis.instance.RedisInstance;
import dev.pier.addon.redis.provision.RedisError;
import dev.pier.addon.redis.provision.RespConnection;
import dev.pier.api.App;
import dev.pier.api.Job;
import dev.pier.api.JobState;
import dev.pier.api.Release;
import dev.pier.api.http.PierApiException;
import dev.pier.api.provider.ProvidedResource;
import dev.pier.api.provider.ProviderContract;
import dev.pier.api.provider.ProvisionRequest;
import dev.pier.testkit.Command;
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
 * The shared provider contract (issue #18) run over HTTP against the redis provider on a real cluster
 * ({@link RedisCluster}: controller, scheduler, host agent on Docker): each resource a redis-server of its own; plus
 * what this provider promises beyond it: the resource's app and release, isolation between instances, data that
 * outlives its container, deprovision removing the app and its volume.
 */
@SuppressWarnings("unchecked")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class RedisProviderContractTest extends ProviderContract {
    static final int PORT = FreePorts.next();
    static final int BASE_PORT = 40000 + (FreePorts.next() % 200) * 100;
    static final Duration UP = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        RedisCluster cluster = RedisCluster.shared();
        registry.add("server.port", () -> PORT);
        registry.add("pier.cluster-key", () -> RedisCluster.KEY);
        registry.add("pier.addon-redis.controller-url", cluster.controllerUrl::toString);
        registry.add("pier.addon-redis.discoverd-url", cluster.discoverdUrl::toString);
        registry.add("pier.addon-redis.image", () -> cluster.image);
        registry.add("pier.addon-redis.base-port", () -> BASE_PORT);
        registry.add("pier.addon-redis.provision-wait", () -> "25s");
    }

    static RedisCluster cluster() {
        try {
            return RedisCluster.shared();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected URI providerUrl() {
        return URI.create("http://127.0.0.1:" + PORT);
    }

    @Override
    protected String clusterKey() {
        return RedisCluster.KEY;
    }

    /** The resource's instance at its REDIS_URL's host and port, with its password. */
    static RespConnection connect(ProvidedResource resource) throws IOException {
        URI url = URI.create(resource.env().get("REDIS_URL"));
        return RespConnection.open(url.getHost() + ":" + url.getPort(), null, url.getUserInfo().substring(1));
    }

    static String address(ProvidedResource resource) {
        URI url = URI.create(resource.env().get("REDIS_URL"));
        return url.getHost() + ":" + url.getPort();
    }

    @Override
    protected void assertUsable(ProvidedResource resource) throws Exception {
        try (RespConnection app = connect(resource)) {
            assertThat(app.call("SET", "any:key", "usable")).isEqualTo("OK");
            assertThat(app.call("GET", "any:key")).isEqualTo("usable");
            assertThat((String) app.call("INFO", "server")).contains("redis_version:7.");
        }
    }

    /** The app and its volume are gone, and nothing answers at the address any more. */
    @Override
    protected void assertGone(ProvidedResource resource) {
        String app = RedisInstance.app(resource.id());
        assertThatThrownBy(() -> cluster().controller.app(app)).isInstanceOfSatisfying(PierApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThat(cluster().controller.volumes(app)).as("the resource's volumes").isEmpty();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThatThrownBy(() -> connect(resource).close()).isInstanceOf(IOException.class));
    }

    @Test
    void aResourceIsASystemAppOfItsOwnAndItsConfigVarIsARedisUrl() throws Exception {
        ProvidedResource resource = client().provision(new ProvisionRequest(null));
        try {
            assertThat(resource.id()).matches("[0-9a-f]{16}");
            assertThat(resource.env()).containsOnlyKeys("REDIS_URL");
            assertThat(resource.env().get("REDIS_URL")).matches("redis://:[A-Za-z0-9]{32}@127\\.0\\.0\\.1:\\d+");
            App app = cluster().controller.app(RedisInstance.app(resource.id()));
            assertThat(app.meta()).containsEntry("pier.system", "true").containsEntry("pier.addon", "redis")
                    .containsEntry("pier.addon.resource", resource.id());
            int port = Integer.parseInt(app.meta().get("pier.addon.host-port"));
            assertThat(port).isBetween(BASE_PORT, BASE_PORT + 99);
            assertThat(resource.env().get("REDIS_URL")).endsWith(":" + port);
            Release release = cluster().controller.currentRelease(app.name());
            assertThat(release.processes().get("redis").hostPort()).isEqualTo(port);
            assertThat(release.processes().get("redis").volumes()).extracting(v -> v.path())
                    .containsExactly("/var/lib/redis/data");
            assertThat(release.env()).containsEntry("REDIS_PASSWORD",
                    URI.create(resource.env().get("REDIS_URL")).getUserInfo().substring(1))
                    .containsEntry("REDIS_MAXMEMORY", "48mb");
            try (RespConnection redis = connect(resource)) {
                assertThat((List<Object>) (List<?>) redis.call("CONFIG", "GET", "appendonly")).containsExactly("appendonly", "yes");
                assertThat((List<Object>) redis.call("CONFIG", "GET", "maxmemory"))
                        .containsExactly("maxmemory", Long.toString(48L * 1024 * 1024));
            }
        } finally {
            client().deprovision(resource.id());
        }
    }

    @Test
    void oneResourcesPasswordOpensNoOtherInstanceAndItsKeysAreNotThere() throws Exception {
        ProvidedResource a = client().provision(new ProvisionRequest(null));
        try {
            ProvidedResource b = client().provision(new ProvisionRequest(null));
            try {
                assertThat(address(a)).isNotEqualTo(address(b));
                try (RespConnection redisA = connect(a)) {
                    redisA.call("SET", "secret", "of-a");
                }
                String passwordA = URI.create(a.env().get("REDIS_URL")).getUserInfo().substring(1);
                assertThatThrownBy(() -> RespConnection.open(address(b), null, passwordA).close())
                        .isInstanceOf(RedisError.class).hasMessageStartingWith("WRONGPASS");
                try (RespConnection redisB = connect(b)) {
                    assertThat(redisB.call("GET", "secret")).isNull();
                    assertThat(redisB.call("DBSIZE")).isEqualTo(0L);
                    assertThat((List<Object>) (List<?>) redisB.call("KEYS", "*")).isEmpty();
                }
            } finally {
                client().deprovision(b.id());
            }
        } finally {
            client().deprovision(a.id());
        }
    }

    @Test
    void theDataOutlivesItsContainerBeingKilled() throws Exception {
        ProvidedResource resource = client().provision(new ProvisionRequest(null));
        try {
            try (RespConnection redis = connect(resource)) {
                redis.call("SET", "kept", "across a kill");
                redis.call("RPUSH", "list", "a", "b");
                awaitWrittenToItsAppendOnlyFile(redis);
            }
            String app = RedisInstance.app(resource.id());
            Job job = cluster().controller.jobs(app, true).stream().filter(j -> j.state() == JobState.UP)
                    .findFirst().orElseThrow();
            Command.check(Duration.ofSeconds(30), List.of("docker", "kill", "--signal", "KILL",
                    containerOf(job.id())));
            await().atMost(UP).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
                assertThat(cluster().controller.jobs(app, true)).anyMatch(j -> j.state() == JobState.UP
                        && !j.id().equals(job.id()));
                try (RespConnection redis = connect(resource)) {
                    assertThat(redis.call("GET", "kept")).isEqualTo("across a kill");
                    assertThat((List<Object>) (List<?>) redis.call("LRANGE", "list", "0", "-1")).containsExactly("a", "b");
                }
            });
        } finally {
            client().deprovision(resource.id());
        }
    }

    /**
     * What the provider promises (docs/addons-redis.md, "Durability"): a write the server has put in its append-only
     * file outlives a kill. With {@code appendfsync everysec} Redis answers a write before it is in the file when an
     * earlier fsync is still running (a busy disk): it postpones the file write for up to 2 s, and a kill then loses
     * it. So the kill waits until the server's own figure says nothing is left in its buffer.
     */
    private static void awaitWrittenToItsAppendOnlyFile(RespConnection redis) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat((String) redis.call("INFO", "persistence")).contains("aof_buffer_length:0\r\n"));
    }

    private static String containerOf(String jobId) {
        String id = Command.check(Duration.ofSeconds(30), List.of("docker", "ps", "-q", "--filter",
                "label=pier.job=" + jobId)).strip();
        assertThat(id).as("the container of job " + jobId).isNotBlank();
        return id;
    }

    @Test
    void aConfigIsRefusedNamingItsKeyAndNothingIsMade() throws Exception {
        int apps = cluster().controller.apps().size();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        providerUrl().resolve("/resources")).header("Authorization", "Bearer " + RedisCluster.KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"config\":{\"maxmemory\":\"1gb\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(answer.body()).contains("the redis provider takes no config, not 'maxmemory'")
                .contains("\"field\":\"config.maxmemory\"");
        assertThat(cluster().controller.apps()).hasSize(apps);
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
    void healthSaysTheClusterIsReachable() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                providerUrl().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"status\":\"ok\"", "\"cluster\":\"reachable\"");
    }
}
