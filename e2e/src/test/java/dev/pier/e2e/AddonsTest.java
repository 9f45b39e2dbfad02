package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.testkit.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Add-ons (issue #18): an app gets a PostgreSQL database with one command, keeps its rows through redeploys,
 * restarts, scaling, a killed database job, a restarted host agent and the whole cluster going down and up (and so
 * does the Redis it also attached: a key written with {@code pier redis cli}); {@code pier pg dump} restored into a
 * fresh resource gives the same rows; one app's credentials cannot read another's database; bad input is refused in
 * one line with nothing changed. Driven through {@code bin/pier}, {@code git push} and {@code curl} on the shared
 * cluster. ({@link RedisAddonTest} has an app that uses its Redis.)
 */
@ExtendWith(SharedCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AddonsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String APP = "notes-" + SUFFIX;
    private static final String COPY = "copy-" + SUFFIX;
    private static final String JPA = "jpa-" + SUFFIX;
    private static final List<String> NOTES = List.of("first", "second", "third");
    /** The value of the key {@code kept} in the app's Redis. */
    private static final String KEPT = "since-" + SUFFIX;

    private static PierCluster cluster;
    private static Router router;
    private static Developer developer;
    private static Path repo;
    private static Path copyRepo;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = SharedCluster.cluster();
        router = new Router(cluster.routerPort());
        developer = Developer.withNewKey(cluster, "addons");
        developer.pierOk(null, "key", "add", developer.publicKey().toString());
        Path sample = PierCluster.repositoryRoot().resolve("e2e/src/test/resources/addons/notes-pg");
        repo = developer.checkout(sample, APP);
        copyRepo = developer.checkout(sample, COPY);
    }

    /** The notes the app reads from its database, one per line. */
    private static List<String> notes(String app) {
        Router.Answer answer = router.get(Router.domainOf(app), "/notes");
        assertThat(answer.status()).as("GET /notes of %s: %s", app, answer.body()).isEqualTo(200);
        return answer.body().isBlank() ? List.of() : List.of(answer.body().strip().split("\n"));
    }

    private static void awaitNotes(String app, List<String> expected) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(notes(app)).isEqualTo(expected));
    }

    /** The app's resources, from {@code pier resource list --json}. */
    private static JsonNode resources(Path directory) throws Exception {
        return JSON.readTree(developer.pierOk(directory, "resource", "list", "--json"));
    }

    @Test
    @Order(1)
    void anAppGetsADatabaseWithOneCommandAndItsPushServesFromIt() throws Exception {
        developer.pierOk(repo, "create", APP);
        String added = developer.pierOk(repo, "resource", "add", "postgres");
        assertThat(added).contains("DATABASE_URL").doesNotContain("postgres://");
        assertThat(developer.pierOk(repo, "env")).contains("DATABASE_URL=postgres://", "PGDATABASE=");
        assertThat(resources(repo)).hasSize(1);
        assertThat(developer.pierOk(repo, "resource", "add", "redis")).contains("REDIS_URL");
        assertThat(resources(repo)).hasSize(2);

        Command.Result push = developer.push(repo, "pier", "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        assertThat(push.output()).contains("deployed");
        for (String note : NOTES) {
            Router.Answer added2 = router.post(Router.domainOf(APP), "/notes?body=" + note);
            assertThat(added2.status()).as(added2.body()).isEqualTo(201);
        }
        assertThat(notes(APP)).isEqualTo(NOTES);
        developer.pierOk(repo, "redis", "cli", "--command", "SET kept " + KEPT);
        assertThat(kept()).isEqualTo(KEPT);
    }

    @Test
    @Order(2)
    void theRowsOutliveARedeployARestartAndScaling() throws Exception {
        Files.writeString(repo.resolve("VERSION"), "2\n");
        developer.commit(repo, "v2");
        Command.Result push = developer.push(repo, "pier", "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        assertThat(notes(APP)).isEqualTo(NOTES);

        developer.pierOk(repo, "scale", "web=2");
        for (int i = 0; i < 6; i++) {
            assertThat(notes(APP)).as("request %d, on either job", i).isEqualTo(NOTES);
        }
        developer.pierOk(repo, "scale", "web=1");
        assertThat(notes(APP)).isEqualTo(NOTES);
    }

    /**
     * A Spring Boot app on JPA finds its database through {@code JDBC_DATABASE_URL}, which the Java buildpack derives
     * from {@code DATABASE_URL} at run time (as {@code SPRING_DATASOURCE_*}): its rows outlive a redeploy and scaling.
     */
    @Test
    @Order(3)
    void aSpringBootAppOnJpaKeepsItsRowsThroughARedeployAndScaling() throws Exception {
        Path jpa = developer.checkout(PierCluster.repositoryRoot().resolve("e2e/src/test/resources/addons/notes-jpa"),
                JPA);
        developer.pierOk(jpa, "create", JPA);
        developer.pierOk(jpa, "resource", "add", "postgres");
        Command.Result push = developer.push(jpa, "pier", "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        for (String note : List.of("alpha", "beta")) {
            Router.Answer added = router.post(Router.domainOf(JPA), "/notes?body=" + note);
            assertThat(added.status()).as(added.body()).isEqualTo(201);
        }
        assertThat(notes(JPA)).isEqualTo(List.of("alpha", "beta"));
        developer.pierOk(jpa, "env", "set", "NOTES_GREETING=again");
        assertThat(notes(JPA)).isEqualTo(List.of("alpha", "beta"));
        developer.pierOk(jpa, "scale", "web=2");
        for (int i = 0; i < 4; i++) {
            assertThat(notes(JPA)).as("request %d, on either job", i).isEqualTo(List.of("alpha", "beta"));
        }
        developer.pierOk(jpa, "delete", "--yes");
    }

    /** The host agents of the database's and the Redis server's jobs are both killed and restarted. */
    @Test
    @Order(4)
    void theRowsOutliveAKilledDatabaseJobAndARestartedHostAgent() throws Exception {
        JsonNode server = databaseJob();
        String container = containerOf(server.path("id").asText());
        Command.Result killed = Command.run(Duration.ofSeconds(60), List.of("docker", "kill", container));
        assertThat(killed.exitCode()).as(killed.output()).isZero();
        awaitNotes(APP, NOTES);
        assertThat(databaseJob().path("host_id").asText()).as("the database job came back on its volume's host")
                .isEqualTo(server.path("host_id").asText());

        Set<String> services = new TreeSet<>();
        for (JsonNode job : List.of(server, upJob(redisApp()))) {
            String host = job.path("host_id").asText();
            services.add("host-" + host.substring(host.lastIndexOf('-') + 1));
        }
        Map<String, Long> pids = new TreeMap<>();
        for (String service : services) {
            pids.put(service, cluster.pid(service));
            Command.Result agent = Command.run(Duration.ofSeconds(30), List.of("kill", "-9",
                    String.valueOf(pids.get(service))));
            assertThat(agent.exitCode()).as(agent.output()).isZero();
        }
        for (String service : services) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> cluster.pid(service) != pids.get(service));
            // restarted means serving again: until then a one-off job (pier pg dump) may find the killed agent still
            // the host leader in discoverd, for the rest of its lease, and say so
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(cluster.status()).containsPattern("(?m)^" + service + " +\\d+ +healthy "));
        }
        awaitNotes(APP, NOTES);
        assertThat(kept()).isEqualTo(KEPT);
        Router.Answer more = router.post(Router.domainOf(APP), "/notes?body=fourth");
        assertThat(more.status()).as(more.body()).isEqualTo(201);
        awaitNotes(APP, List.of("first", "second", "third", "fourth"));
    }

    @Test
    @Order(5)
    void theRowsOutliveTheClusterGoingDownAndUp() throws Exception {
        cluster.downAndUp();
        awaitNotes(APP, List.of("first", "second", "third", "fourth"));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .untilAsserted(() -> assertThat(kept()).isEqualTo(KEPT));
        Router.Answer more = router.post(Router.domainOf(APP), "/notes?body=fifth");
        assertThat(more.status()).as(more.body()).isEqualTo(201);
        awaitNotes(APP, List.of("first", "second", "third", "fourth", "fifth"));
    }

    @Test
    @Order(6)
    void aDumpRestoredIntoAFreshResourceGivesTheSameRows() throws Exception {
        Path dump = cluster.work().resolve("notes-" + SUFFIX + ".dump");
        Command.Result dumped = Command.run(Developer.CLI, List.of("bash", "-c",
                "exec \"$0\" pg dump > \"$1\"", cluster.root().resolve("bin/pier").toString(), dump.toString()),
                repo, cluster.env());
        assertThat(dumped.exitCode()).as(dumped.output()).isZero();
        assertThat(Files.size(dump)).isPositive();

        developer.pierOk(copyRepo, "create", COPY);
        developer.pierOk(copyRepo, "resource", "add", "postgres");
        Command.Result restored = Command.run(Developer.CLI, List.of("bash", "-c",
                "exec \"$0\" pg restore < \"$1\"", cluster.root().resolve("bin/pier").toString(), dump.toString()),
                copyRepo, cluster.env());
        assertThat(restored.exitCode()).as(restored.output()).isZero();
        String rows = developer.pierOk(copyRepo, "pg", "psql", "-c", "SELECT body FROM notes ORDER BY id");
        assertThat(rows).contains("first", "second", "third", "fourth", "fifth");

        Command.Result push = developer.push(copyRepo, "pier", "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        assertThat(notes(COPY)).isEqualTo(List.of("first", "second", "third", "fourth", "fifth"));
    }

    @Test
    @Order(7)
    void oneAppsCredentialsCannotReadAnothersDatabase() throws Exception {
        String copyDatabase = developer.pierOk(copyRepo, "env", "get", "PGDATABASE").strip();
        Router.Answer answer = router.get(Router.domainOf(APP), "/read-database?name=" + copyDatabase);
        assertThat(answer.status()).as(answer.body()).isEqualTo(500);
        assertThat(answer.body()).contains("permission denied for database");
    }

    @Test
    @Order(8)
    void badInputIsRefusedInOneLineAndChangesNothing() throws Exception {
        String envBefore = developer.pierOk(repo, "env");
        assertOneLineError(developer.pier(repo, "resource", "add", "nosuchprovider"), "nosuchprovider");
        assertOneLineError(developer.pier(repo, "resource", "remove", UUID.randomUUID().toString(), "--yes"),
                "no resource");
        String attached = resources(repo).get(0).path("id").asText();
        assertOneLineError(developer.pier(repo, "resource", "attach", attached), "already");
        assertThat(developer.pierOk(repo, "env")).isEqualTo(envBefore);
        assertThat(resources(repo)).hasSize(2);
    }

    @Test
    @Order(9)
    void removingAResourceDetachesItFromTheAppAndDeprovisionsIt() throws Exception {
        String id = resources(copyRepo).get(0).path("id").asText();
        String removed = developer.pierOk(copyRepo, "resource", "remove", id, "--yes");
        assertThat(removed).contains(id);
        assertThat(developer.pierOk(copyRepo, "env")).doesNotContain("DATABASE_URL");
        assertThat(resources(copyRepo)).isEmpty();
        Router.Answer home = router.get(Router.domainOf(COPY), "/");
        assertThat(home.status()).as("the app keeps running: %s", home.body()).isEqualTo(200);
        assertThat(home.body()).as("the release without the config vars serves").contains("no database attached");
        developer.pierOk(copyRepo, "delete", "--yes");
    }

    private static void assertOneLineError(Command.Result result, String names) {
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output().strip().lines().toList()).as(result.output()).hasSize(1);
        assertThat(result.output()).startsWith("pier: ").contains(names);
    }

    /** The value of {@code kept} in the app's Redis, read with {@code pier redis cli}. */
    private static String kept() throws Exception {
        return developer.pierOk(repo, "redis", "cli", "--command", "GET kept").strip();
    }

    /** The system app that runs the app's Redis server: {@code pier-redis-<the provider's id>}. */
    private static String redisApp() throws Exception {
        for (JsonNode resource : resources(repo)) {
            if (resource.path("provider").asText().equals("redis")) {
                return "pier-redis-" + resource.path("external_id").asText();
            }
        }
        throw new AssertionError("the app has no redis resource: " + resources(repo));
    }

    /** The PostgreSQL server's job (the provider's system app), from {@code pier ps --json}. */
    private static JsonNode databaseJob() throws Exception {
        return upJob("pier-postgres");
    }

    /** The job of a system app that is up, from {@code pier ps --json}. */
    private static JsonNode upJob(String app) throws Exception {
        JsonNode[] up = new JsonNode[1];
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            for (JsonNode job : JSON.readTree(developer.pierOk(null, "-a", app, "ps", "--json"))) {
                if ("up".equals(job.path("state").asText())) {
                    up[0] = job;
                    return true;
                }
            }
            return false;
        });
        return up[0];
    }

    /** The container of a job, by the label the host agent gives it. */
    private static String containerOf(String jobId) {
        Command.Result ps = Command.run(Duration.ofSeconds(30), List.of("docker", "ps", "-q", "--filter",
                "label=pier.job=" + jobId));
        assertThat(ps.exitCode()).as(ps.output()).isZero();
        List<String> ids = new ArrayList<>(ps.output().strip().lines().toList());
        assertThat(ids).as("the container of job %s", jobId).hasSize(1);
        return ids.get(0);
    }
}
