package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.testkit.Command;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Redis add-on (issue #18): a Node.js app (the {@code redis} npm package) gets a Redis with {@code pier resource
 * add redis}, keeps its data through a redeploy, a restart ({@code env set}), scaling and its Redis server being
 * killed; {@code pier redis cli} reads what the app wrote; one app's credentials cannot read another app's data;
 * removing the resource leaves the app serving without it. Driven through {@code bin/pier}, {@code git push} and
 * {@code curl} on the shared cluster. (A Redis key outliving restarted host agents and the cluster going down and
 * up is in {@link AddonsTest}, which does both once for both providers.)
 */
@ExtendWith(SharedCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisAddonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String APP = "rnotes-" + SUFFIX;
    private static final String OTHER = "rother-" + SUFFIX;
    private static final List<String> NOTES = List.of("one", "two", "three");

    private static PierCluster cluster;
    private static Router router;
    private static Developer developer;
    private static Path repo;
    private static Path otherRepo;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = SharedCluster.cluster();
        router = new Router(cluster.routerPort());
        developer = Developer.withNewKey(cluster, "redis");
        developer.pierOk(null, "key", "add", developer.publicKey().toString());
        Path sample = PierCluster.repositoryRoot().resolve("e2e/src/test/resources/addons/notes-redis");
        repo = developer.checkout(sample, APP);
        otherRepo = developer.checkout(sample, OTHER);
    }

    private static List<String> notes() {
        Router.Answer answer = router.get(Router.domainOf(APP), "/notes");
        assertThat(answer.status()).as("GET /notes: %s", answer.body()).isEqualTo(200);
        return answer.body().isBlank() ? List.of() : List.of(answer.body().strip().split("\n"));
    }

    private static void awaitNotes(List<String> expected) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(notes()).isEqualTo(expected));
    }

    private static JsonNode resources(Path directory) throws Exception {
        return JSON.readTree(developer.pierOk(directory, "resource", "list", "--json"));
    }

    @Test
    @Order(1)
    void anAppGetsARedisWithOneCommandAndItsPushServesFromIt() throws Exception {
        developer.pierOk(repo, "create", APP);
        String added = developer.pierOk(repo, "resource", "add", "redis");
        assertThat(added).contains("REDIS_URL").doesNotContain("redis://");
        assertThat(developer.pierOk(repo, "env")).contains("REDIS_URL=redis://");

        Command.Result push = developer.push(repo, "pier", "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        assertThat(push.output()).contains("deployed");
        for (String note : NOTES) {
            Router.Answer answer = router.post(Router.domainOf(APP), "/notes?body=" + note);
            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        }
        assertThat(notes()).isEqualTo(NOTES);
    }

    @Test
    @Order(2)
    void theDataOutlivesARedeployARestartScalingAndAKilledServer() throws Exception {
        Files.writeString(repo.resolve("VERSION"), "2\n");
        developer.commit(repo, "v2");
        Command.Result push = developer.push(repo, "pier", "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        assertThat(notes()).isEqualTo(NOTES);
        developer.pierOk(repo, "env", "set", "NOTES_GREETING=again");
        assertThat(notes()).isEqualTo(NOTES);

        developer.pierOk(repo, "scale", "web=2");
        for (int i = 0; i < 4; i++) {
            assertThat(notes()).as("request %d, on either job", i).isEqualTo(NOTES);
        }
        developer.pierOk(repo, "scale", "web=1");

        String server = serverContainer();
        Command.Result killed = Command.run(Duration.ofSeconds(60), List.of("docker", "kill", server));
        assertThat(killed.exitCode()).as(killed.output()).isZero();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> !serverContainer().equals(server));
        awaitNotes(NOTES);
    }

    @Test
    @Order(3)
    void pierRedisCliReadsWhatTheAppWrote() throws Exception {
        String read = developer.pierOk(repo, "redis", "cli", "--command", "LRANGE notes 0 -1");
        assertThat(read.lines().map(String::strip).toList()).containsSubsequence(NOTES);
    }

    @Test
    @Order(4)
    void oneAppsCredentialsCannotReadAnothersData() throws Exception {
        developer.pierOk(otherRepo, "create", OTHER);
        developer.pierOk(otherRepo, "resource", "add", "redis", "-n");
        developer.pierOk(otherRepo, "redis", "cli", "--command", "RPUSH notes secret");
        URI otherUrl = URI.create(developer.pierOk(otherRepo, "env", "get", "REDIS_URL").strip());
        URI ownUrl = URI.create(developer.pierOk(repo, "env", "get", "REDIS_URL").strip());
        assertThat(otherUrl.getPort()).as("a server of its own").isNotEqualTo(ownUrl.getPort());

        Router.Answer answer = router.get(Router.domainOf(APP), "/read-as-me?hostport=" + otherUrl.getHost() + ":"
                + otherUrl.getPort() + "&key=notes");
        assertThat(answer.status()).as(answer.body()).isEqualTo(500);
        assertThat(answer.body()).contains("WRONGPASS").doesNotContain("secret");
        developer.pierOk(otherRepo, "resource", "remove", resources(otherRepo).get(0).path("id").asText(), "--yes");
        developer.pierOk(otherRepo, "delete", "--yes");
    }

    @Test
    @Order(5)
    void removingTheResourceLeavesTheAppServingWithoutIt() throws Exception {
        String id = resources(repo).get(0).path("id").asText();
        String removed = developer.pierOk(repo, "resource", "remove", id, "--yes");
        assertThat(removed).contains(id);
        assertThat(developer.pierOk(repo, "env")).doesNotContain("REDIS_URL");
        assertThat(resources(repo)).isEmpty();
        Router.Answer home = router.get(Router.domainOf(APP), "/");
        assertThat(home.status()).as(home.body()).isEqualTo(200);
        assertThat(home.body()).contains("no redis attached");
        developer.pierOk(repo, "delete", "--yes");
    }

    /** The container of the app's Redis server: the job of its resource's system app, published at its URL's port. */
    private static String serverContainer() throws Exception {
        URI url = URI.create(developer.pierOk(repo, "env", "get", "REDIS_URL").strip());
        Command.Result ps = Command.run(Duration.ofSeconds(30), List.of("docker", "ps", "--filter",
                "label=pier.process=redis", "--format", "{{.ID}} {{.Ports}}"));
        assertThat(ps.exitCode()).as(ps.output()).isZero();
        return ps.output().lines().filter(line -> line.contains(":" + url.getPort() + "->"))
                .map(line -> line.split(" ")[0]).findFirst()
                .orElseThrow(() -> new AssertionError("no container publishes port " + url.getPort() + ":\n"
                        + ps.output()));
    }
}
