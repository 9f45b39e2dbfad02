package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.Artifact;
import dev.pier.api.NewApp;
import dev.pier.api.NewArtifact;
import dev.pier.api.NewDeployment;
import dev.pier.api.NewRelease;
import dev.pier.api.Release;
import dev.pier.api.NewProvider;
import dev.pier.api.NewResource;
import dev.pier.api.Resource;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.provider.TestProvider;
import dev.pier.testkit.AddonImages;
import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code pier pg psql|dump|restore} and {@code pier redis cli} as users run them, as one-off jobs of the system apps
 * pier-postgres and pier-redis-<id> (the app's redis resource's) on the pier/postgres and pier/redis images
 * (docker/build-addons), against a server of each image on this machine (published at the docker0 gateway, where
 * jobs reach it, and at 127.0.0.1 for the test). The cluster is {@link ClusterCommandTest}'s, shared with
 * {@link RunCommandTest}.
 */
class AddonCommandTest extends ClusterCommandTest {
    String app;

    static final String SUPERUSER_PASSWORD = "pg-command-test-password";
    static final String REDIS_PASSWORD = "redisCommandTestPassword";
    static String redisImage;
    static String redisContainer;
    static int redisJobPort;
    /** Stands in for the redis provider (which needs a scheduler): hands out resources the test then gives a server. */
    static TestProvider redisProvider;
    static final String RUN_ID = DockerEngine.newRunId();
    static String image;
    static String gateway;
    static int jobPort;
    static int testPort;

    /** The server image, and one server of it (superuser postgres), as the provider's system app would run it. */
    @BeforeAll
    static void server() {
        AddonImages images = AddonImages.build(Path.of("").toAbsolutePath().getParent());
        image = images.image("postgres");
        redisImage = images.image("redis");
        gateway = DockerEngine.bridgeGateway();
        String container = Command.check(Duration.ofMinutes(1), List.of("docker", "run", "-d", "--label",
                DockerEngine.TEST_LABEL + "=" + RUN_ID, "-e", "POSTGRES_PASSWORD=" + SUPERUSER_PASSWORD,
                "-p", "127.0.0.1::5432", "-p", gateway + "::5432", image, "/pier/postgres/start")).strip();
        for (String line : Command.check(Duration.ofSeconds(30), List.of("docker", "port", container, "5432/tcp"))
                .strip().split("\n")) {
            int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
            if (line.startsWith("127.0.0.1:")) {
                testPort = port;
            } else if (line.startsWith(gateway + ":")) {
                jobPort = port;
            }
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Connection c = superuser()) {
                return c.isValid(2);
            }
        });
        redisContainer = Command.check(Duration.ofMinutes(1), List.of("docker", "run", "-d", "--label",
                DockerEngine.TEST_LABEL + "=" + RUN_ID, "-e", "REDIS_PASSWORD=" + REDIS_PASSWORD,
                "-p", gateway + "::6379", redisImage, "/pier/redis/start")).strip();
        String mapped = Command.check(Duration.ofSeconds(30), List.of("docker", "port", redisContainer, "6379/tcp"))
                .strip().lines().filter(line -> line.startsWith(gateway + ":")).findFirst().orElseThrow();
        redisJobPort = Integer.parseInt(mapped.substring(mapped.lastIndexOf(':') + 1));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> redisAdmin("PING").equals("PONG\n"));
        try {
            redisProvider = new TestProvider(KEY, "REDIS_RESOURCE");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A command as the server's default user, in the server's container. */
    static String redisAdmin(String... command) {
        List<String> all = new java.util.ArrayList<>(List.of("docker", "exec", redisContainer, "redis-cli",
                "--no-auth-warning", "-a", REDIS_PASSWORD));
        all.addAll(List.of(command));
        return Command.check(Duration.ofSeconds(30), all);
    }

    /**
     * An app with a redis resource attached, as the redis provider makes them: the resource (from the stand-in
     * provider) has its system app pier-redis-<id> on the pier/redis image, and the app's REDIS_URL is the test's
     * server (as the provider's would be that resource's own server).
     */
    String appWithRedis() {
        ControllerClient controller = controller();
        String cache = app(Map.of("REDIS_URL", "redis://:" + REDIS_PASSWORD + "@" + gateway + ":" + redisJobPort));
        Resource resource = controller.provision("redis", NewResource.forApp(cache));
        String systemApp = "pier-redis-" + resource.externalId();
        controller.createApp(new NewApp(systemApp, Map.of("pier.system", "true", "pier.addon", "redis")));
        Artifact server = controller.createArtifact(new NewArtifact("docker", redisImage, null, null, Map.of()));
        Release release = controller.createRelease(systemApp, new NewRelease(server.id(),
                Map.of("REDIS_PASSWORD", REDIS_PASSWORD), Map.of(), Map.of(), "the server image"));
        controller.deploy(systemApp, new NewDeployment(release.id(), null));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> controller.currentRelease(systemApp).id().equals(release.id()));
        return cache;
    }

    @AfterAll
    static void removeServer() {
        DockerEngine.removeTestContainers(RUN_ID);
        if (redisProvider != null) {
            redisProvider.close();
        }
    }

    static Connection superuser() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + testPort + "/postgres", "postgres",
                SUPERUSER_PASSWORD);
    }

    /** A database and its owner role, as the provider makes them; answers the app's config vars. */
    static Map<String, String> database(String name) throws Exception {
        try (Connection admin = superuser(); Statement sql = admin.createStatement()) {
            sql.execute("CREATE ROLE " + name + " LOGIN PASSWORD 'pw-" + name + "'");
            sql.execute("CREATE DATABASE " + name + " OWNER " + name);
        }
        return Map.of("DATABASE_URL", "postgres://" + name + ":pw-" + name + "@" + gateway + ":" + jobPort + "/" + name,
                "PGDATABASE", name);
    }

    @BeforeEach
    void appsWithADatabase() throws Exception {
        ControllerClient controller = controller();
        if (controller.apps().stream().noneMatch(a -> a.name().equals("pier-postgres"))) {
            controller.createApp(NewApp.named("pier-postgres"));
            Artifact server = controller.createArtifact(new NewArtifact("docker", image, null, null, Map.of()));
            Release release = controller.createRelease("pier-postgres", new NewRelease(server.id(),
                    Map.of("POSTGRES_PASSWORD", SUPERUSER_PASSWORD), Map.of(), Map.of(), "the server image"));
            controller.deploy("pier-postgres", new NewDeployment(release.id(), null));
        }
        if (controller.providers().stream().noneMatch(p -> p.name().equals("redis"))) {
            controller.createProvider(new NewProvider("redis", redisProvider.url().toString(), "stand-in"));
        }
        app = app(database("shop_" + UUID.randomUUID().toString().substring(0, 6)));
    }

    String app(Map<String, String> env) {
        ControllerClient controller = controller();
        String name = controller.createApp(NewApp.named("pg-" + UUID.randomUUID().toString().substring(0, 6))).name();
        Artifact artifact = controller.createArtifact(new NewArtifact("docker", DockerEngine.testImage(), null, null, Map.of()));
        Release release = controller.createRelease(name, new NewRelease(artifact.id(), env, Map.of(), Map.of(), "test"));
        controller.deploy(name, new NewDeployment(release.id(), null));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> controller.env(name).equals(env));
        return name;
    }

    Result pg(String app, String input, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "-a";
        all[1] = app;
        all[2] = "pg";
        System.arraycopy(args, 0, all, 3, args.length);
        return pier(new PipedTerminal(input), all);
    }

    @Test
    void psqlRunsSqlOnTheAppsDatabaseWithPsqlsExitStatus() {
        Result create = pg(app, "", "psql", "--command", "CREATE TABLE items (n int); INSERT INTO items VALUES (1), (2)");
        assertThat(create.code()).as(create.err() + create.output()).isZero();
        assertThat(create.output()).contains("INSERT 0 2");

        Result who = pg(app, "", "psql", "-c", "SELECT current_user || '@' || current_database()");
        assertThat(who.output()).containsPattern("shop_[0-9a-f]{6}@shop_[0-9a-f]{6}");

        Result failing = pg(app, "", "psql", "--command", "SELECT * FROM no_such_table");
        assertThat(failing.code()).isEqualTo(1);
        assertThat(failing.output()).contains("relation \"no_such_table\" does not exist");

        Result passed = pg(app, "", "psql", "--", "-c", "SELECT 40 + 2 AS answer", "-x");
        assertThat(passed.code()).as(passed.err()).isZero();
        assertThat(passed.output()).contains("answer | 42");

        Result piped = pg(app, "SELECT sum(n) AS total FROM items;\n", "psql");
        assertThat(piped.code()).as(piped.err()).isZero();
        assertThat(piped.output()).contains("total", " 3");
    }

    @Test
    void aDumpRestoredIntoAnotherDatabaseGivesTheSameRows() throws Exception {
        assertThat(pg(app, "", "psql", "--command", "CREATE TABLE items (n int, label text); "
                + "INSERT INTO items SELECT i, 'row ' || i FROM generate_series(1, 5000) i").code()).isZero();

        PipedTerminal dumped = new PipedTerminal("");
        Result dump = pier(dumped, "-a", app, "pg", "dump");
        assertThat(dump.code()).as(dump.err()).isZero();
        byte[] bytes = dumped.captured().toByteArray();
        assertThat(new String(bytes, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("PGDMP");

        String copy = app(database("copy_" + UUID.randomUUID().toString().substring(0, 6)));
        Result restore = pier(new PipedTerminal(new java.io.ByteArrayInputStream(bytes), new ByteArrayOutputStream()),
                "-a", copy, "pg", "restore");
        assertThat(restore.code()).as(restore.err() + restore.output()).isZero();

        Result rows = pg(copy, "", "psql", "--command", "SELECT count(*) || ' ' || sum(n) || ' ' || max(label) FROM items");
        assertThat(rows.output()).contains("5000 12502500 row 999");
        Result owner = pg(copy, "", "psql", "--command", "SELECT tableowner FROM pg_tables WHERE tablename = 'items'");
        assertThat(owner.output()).as("restored without the old owner").contains("copy_");
    }

    @Test
    void aFailedDumpSaysWhyOnStderrAndWritesNoDump() throws Exception {
        String broken = app(Map.of("DATABASE_URL", "postgres://nobody:wrong@" + gateway + ":" + jobPort + "/nothing"));
        PipedTerminal dumped = new PipedTerminal("");
        Result dump = pier(dumped, "-a", broken, "pg", "dump");

        assertThat(dump.code()).isEqualTo(1);
        assertThat(dump.err()).startsWith("pier: pg_dump failed (exit status 1): pg_dump: error: ")
                .contains("password authentication failed for user \"nobody\"").hasLineCount(1);
        assertThat(dumped.captured().size()).isZero();
    }

    @Test
    void anAppWithoutADatabaseIsOneClearLine() {
        String none = app(Map.of("OTHER", "x"));
        Result psql = pg(none, "", "psql", "--command", "SELECT 1");
        assertThat(psql.code()).isEqualTo(1);
        assertThat(psql.err()).isEqualTo("pier: app '" + none + "' has no DATABASE_URL: attach a database first "
                + "(pier -a " + none + " resource add postgres)\n");
    }

    Result redis(String app, String input, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "-a";
        all[1] = app;
        all[2] = "redis";
        all[3] = "cli";
        System.arraycopy(args, 0, all, 4, args.length);
        return pier(new PipedTerminal(input), all);
    }

    @Test
    void redisCliRunsACommandOnTheAppsRedisWithItsExitStatus() {
        String cache = appWithRedis();
        String key = "greeting:" + UUID.randomUUID().toString().substring(0, 6);

        Result set = redis(cache, "", "--command", "SET " + key + " \"hello world\"");
        assertThat(set.code()).as(set.err() + set.output()).isZero();
        assertThat(set.output()).isEqualTo("OK\n");
        Result get = redis(cache, "", "--command", "GET " + key);
        assertThat(get.output()).isEqualTo("hello world\n");
        assertThat(redisAdmin("GET", key)).as("written to the app's Redis").isEqualTo("hello world\n");

        Result failing = redis(cache, "", "--command", "INCR " + key);
        assertThat(failing.code()).isEqualTo(1);
        assertThat(failing.output()).contains("ERR value is not an integer");

        Result passed = redis(cache, "", "--", "--raw", "STRLEN", key);
        assertThat(passed.code()).as(passed.err()).isZero();
        assertThat(passed.output()).isEqualTo("11\n");

        Result piped = redis(cache, "APPEND " + key + " !\nGET " + key + "\n");
        assertThat(piped.code()).as(piped.err()).isZero();
        assertThat(piped.output()).contains("12", "hello world!");
    }

    @Test
    void redisCliRunsInTheResourcesOwnSystemApp() {
        String cache = appWithRedis();
        Resource resource = controller().appResources(cache).get(0);
        Result info = redis(cache, "", "--command", "INFO server");
        assertThat(info.code()).as(info.err() + info.output()).isZero();
        assertThat(info.output()).contains("redis_version:7.");
        assertThat(controller().jobs("pier-redis-" + resource.externalId(), false)).as("the one-off job's app")
                .isNotEmpty();
    }

    @Test
    void anAppWithoutARedisIsOneClearLine() {
        String none = app(Map.of("OTHER", "x"));
        Result cli = redis(none, "", "--command", "PING");
        assertThat(cli.code()).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("pier: app '" + none + "' has no REDIS_URL: attach a Redis resource first "
                + "(pier -a " + none + " resource add redis)\n");
    }

    @Test
    void anAppWithARedisUrlButNoRedisResourceIsOneClearLine() {
        String external = app(Map.of("REDIS_URL", "redis://:pw@203.0.113.1:6379"));
        Result cli = redis(external, "", "--command", "PING");
        assertThat(cli.code()).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("pier: app '" + external + "' has no redis resource attached: attach one "
                + "first (pier -a " + external + " resource add redis)\n");
    }
}
