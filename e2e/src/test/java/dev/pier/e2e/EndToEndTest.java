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
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pier end to end, as a user meets it (issue #8): a cluster of three host agents booted by {@code bin/pier-dev up
 * --hosts 3}, then driven only through {@code bin/pier}, {@code git push} over {@code ssh}, and {@code curl}
 * through the router, each a real process whose output and exit code are checked. The scenarios share the
 * cluster (with {@link CompatibilityTest}: {@link SharedCluster}) and one Node.js app and run in order: each builds on
 * the state the one before left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedCluster.class)
class EndToEndTest {
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String APP = "node-" + SUFFIX;
    private static final String CUSTOM_DOMAIN = "other-" + SUFFIX + ".example.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PierCluster cluster;
    private static Router router;
    private static Developer developer;
    private static Path repo;
    private static long startedAt;

    @BeforeAll
    static void bootCluster() {
        startedAt = System.nanoTime();
        cluster = SharedCluster.cluster();
        router = new Router(cluster.routerPort());
        developer = Developer.withNewKey(cluster, "developer");
    }

    @AfterAll
    static void done() {
        System.out.printf("the end-to-end suite took %d s%n", Duration.ofNanos(System.nanoTime() - startedAt).toSeconds());
    }

    /** {@code pier key add FILE} lets a key push; {@code pier key list} shows it by fingerprint and comment. */
    @Test
    @Order(1)
    void aDeveloperAddsAndListsTheirKey() {
        String added = developer.pierOk(null, "key", "add", developer.publicKey().toString());
        assertThat(added).contains("Added key SHA256:", "developer@e2e");

        assertThat(fingerprintOf(added)).isEqualTo(developer.fingerprint());
        String listed = developer.pierOk(null, "key", "list");
        assertThat(listed).contains("FINGERPRINT", developer.fingerprint(), "developer@e2e");
    }

    /**
     * {@code pier create} in a git repository adds the {@code pier} remote; {@code git push pier main} builds the
     * Node.js sample, releases and deploys it, and the router serves it at its default domain.
     */
    @Test
    @Order(2)
    void aNodeAppIsCreatedPushedAndServed() throws Exception {
        repo = developer.checkout("nodejs", APP);
        Path server = repo.resolve("server.js");
        Files.writeString(server, Files.readString(server).replace("VERSION", "v1"));
        developer.commit(repo, "v1");

        String created = developer.pierOk(repo, "create", APP);
        assertThat(created).contains("Created " + APP, "ssh://git@127.0.0.1:" + cluster.gitPort() + "/" + APP + ".git");
        assertThat(developer.git(repo, "remote", "get-url", "pier")).contains("/" + APP + ".git");

        Command.Result push = developer.push(repo, "pier", "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        assertThat(push.output()).contains("Node.js app detected", "deployed",
                "http://" + APP + ".pier.localhost:" + cluster.routerPort() + "/");
        router.awaitServing(Router.domainOf(APP), "hello from node v1 no-greeting");
        assertThat(developer.pierOk(null, "apps")).contains(APP);
    }

    /** The Java (Maven) and static samples, pushed as apps of their own, are built with their buildpacks and served. */
    @Test
    @Order(3)
    void javaAndStaticAppsArePushedAndServed() {
        record Sample(String name, String detected, String served) {
        }
        for (Sample sample : List.of(new Sample("static", "Static site app detected", "hello from a static site"),
                new Sample("java", "Java (Maven) app detected", "hello from java"))) {
            String app = sample.name() + "-" + SUFFIX;
            Path checkout = developer.checkout(sample.name(), app);
            developer.pierOk(checkout, "create", app);
            long start = System.nanoTime();
            Command.Result push = developer.push(checkout, "pier", "main");
            System.out.printf("push of the %s sample took %d s%n", sample.name(),
                    Duration.ofNanos(System.nanoTime() - start).toSeconds());
            assertThat(push.exitCode()).as(push.output()).isZero();
            assertThat(push.output()).contains(sample.detected());
            router.awaitServing(Router.domainOf(app), sample.served());
        }
    }

    /** {@code pier scale web=3} waits until three jobs are up, one on each host; {@code web=1} scales back down. */
    @Test
    @Order(4)
    void scalingUpSpreadsJobsOverTheThreeHostsAndScalesBackDown() throws Exception {
        String scaled = developer.pierOk(repo, "scale", "web=3");
        assertThat(scaled).contains("Scaling " + APP + " to web=3", "web: 3/3 up", "Done.");

        List<JsonNode> up = upWebJobs();
        assertThat(up).as("up web jobs").hasSize(3);
        Set<String> hosts = new TreeSet<>();
        up.forEach(job -> hosts.add(job.get("host_id").asText()));
        assertThat(hosts).as("hosts of the web jobs").containsExactlyInAnyOrder(cluster.hostId(1), cluster.hostId(2),
                cluster.hostId(3));
        String table = developer.pierOk(repo, "ps");
        for (int n = 1; n <= 3; n++) {
            assertThat(table).contains(cluster.hostId(n));
        }
        router.awaitServing(Router.domainOf(APP), "hello from node v1");

        assertThat(developer.pierOk(repo, "scale", "web=1")).contains("web: 1/1 up", "Done.");
        assertThat(upWebJobs()).hasSize(1);
        router.awaitServing(Router.domainOf(APP), "hello from node v1");
    }

    /** {@code pier log -f}, left running, shows the line the app logs for each request it serves. */
    @Test
    @Order(5)
    void followingTheLogShowsTheAppsOutputAsRequestsArrive() {
        String probe = "/log-probe-" + UUID.randomUUID().toString().substring(0, 8);
        Path output = cluster.work().resolve("log-follow.txt");
        try (BackgroundCommand log = BackgroundCommand.start(List.of(cluster.root().resolve("bin/pier").toString(),
                "log", "-f"), repo, cluster.env(), output)) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                assertThat(log.isAlive()).as("pier log -f still follows: %s", log.output()).isTrue();
                assertThat(router.get(Router.domainOf(APP), probe).status()).isEqualTo(200);
                assertThat(log.output()).contains("request GET " + probe);
            });
        }
    }

    /**
     * {@code pier env set} makes a release that the router serves once deployed; {@code pier release list} shows
     * it as current; {@code pier rollback} deploys the one before, and the old value is served again.
     */
    @Test
    @Order(6)
    void aConfigChangeIsReleasedServedAndRolledBack() {
        String set = developer.pierOk(repo, "env", "set", "GREETING=bonjour");
        assertThat(set).contains(APP, "v2");
        router.awaitServing(Router.domainOf(APP), "hello from node v1 bonjour");
        assertThat(developer.pierOk(repo, "env", "get", "GREETING").strip()).isEqualTo("bonjour");

        String releases = developer.pierOk(repo, "release", "list");
        assertThat(releases).containsPattern("(?m)^\\*\\s+v2\\b").containsPattern("(?m)^\\s+v1\\b");

        String rolledBack = developer.pierOk(repo, "rollback");
        assertThat(rolledBack).contains("Rolled back " + APP, "v3");
        router.awaitServing(Router.domainOf(APP), "hello from node v1 no-greeting");
        assertThat(developer.pierOk(repo, "release", "list")).containsPattern("(?m)^\\*\\s+v3\\b");
    }

    /**
     * {@code pier run} runs one-off jobs attached: their output and exit status come back; with a terminal,
     * {@code pier run sh} is an interactive shell in the app's environment.
     */
    @Test
    @Order(7)
    void oneOffJobsRunAttachedWithTheirExitStatusAndATerminal() {
        Command.Result hi = developer.pier(repo, "run", "echo", "hi");
        assertThat(hi.exitCode()).as(hi.output()).isZero();
        assertThat(hi.output()).containsPattern("(?m)^hi\\r?$");

        Command.Result three = developer.pier(repo, "run", "sh", "-c", "exit 3");
        assertThat(three.exitCode()).as(three.output()).isEqualTo(3);

        Terminal terminal = new Terminal(cluster.work());
        Terminal.Session session = terminal.run(Duration.ofMinutes(3),
                List.of("[$#] $", "echo pty-$((6*7)) $PORT_CHECK\r", "pty-42", "exit 7\r"),
                List.of(cluster.root().resolve("bin/pier").toString(), "run", "-e", "PORT_CHECK=from-env", "sh"),
                repo, cluster.env());
        assertThat(session.shown()).contains("pty-42 from-env").endsWith("exit status 7\n");
    }

    /** {@code pier route add DOMAIN} makes the router send that domain to the app. */
    @Test
    @Order(8)
    void anAddedRouteReachesTheApp() {
        assertThat(router.get(CUSTOM_DOMAIN).status()).as("before the route is added").isEqualTo(404);
        assertThat(developer.pierOk(repo, "route", "add", CUSTOM_DOMAIN)).contains("Routed " + CUSTOM_DOMAIN + " to " + APP);
        assertThat(developer.pierOk(repo, "route")).contains(CUSTOM_DOMAIN);
        router.awaitServing(CUSTOM_DOMAIN, "hello from node v1 no-greeting");
    }

    /**
     * Pushes that cannot deploy are refused with a clear reason and lose nothing: a broken {@code package.json}
     * fails the build, a process that exits at once fails the deploy, and in both cases the running release
     * keeps serving.
     */
    @Test
    @Order(9)
    void brokenBuildsAndCrashingProcessesAreRefusedAndTheRunningReleaseKeepsServing() throws Exception {
        String serving = "hello from node v1 no-greeting";
        String before = currentRelease();

        Files.copy(cluster.root().resolve("git-receiver/src/test/resources/apps/broken-node/package.json"),
                repo.resolve("package.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        developer.commit(repo, "broken package.json");
        Command.Result broken = developer.push(repo, "pier", "main");
        assertThat(broken.exitCode()).as(broken.output()).isNotZero();
        assertThat(broken.output()).contains("package.json is not valid JSON: Unexpected end of JSON input",
                "[remote rejected]");
        assertThat(router.get(Router.domainOf(APP)).body()).as("the running release keeps serving").contains(serving);
        developer.git(repo, "reset", "-q", "--hard", "HEAD~1");

        Files.writeString(repo.resolve("Procfile"), "web: exit 1\n");
        developer.commit(repo, "a web process that exits at once");
        Command.Result crashing = developer.push(repo, "pier", "main");
        assertThat(crashing.exitCode()).as(crashing.output()).isNotZero();
        assertThat(crashing.output()).contains("Push rejected", "crashed", "the previous release keeps running",
                "[remote rejected]");
        assertThat(router.get(Router.domainOf(APP)).body()).as("the running release keeps serving").contains(serving);
        assertThat(currentRelease()).as("the current release").isEqualTo(before);
        developer.git(repo, "reset", "-q", "--hard", "HEAD~1");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(upWebJobs()).as("the old release's jobs").hasSize(1));
        router.awaitServing(Router.domainOf(APP), serving);
    }

    /**
     * Keys decide who may push: a stranger's key is refused, and so is the developer's once {@code pier key
     * remove} took it away, until it is added back.
     */
    @Test
    @Order(10)
    void pushesWithKeysTheClusterDoesNotKnowAreRefused() {
        Developer stranger = Developer.withNewKey(cluster, "stranger");
        Path strangersCopy = stranger.checkout("nodejs", "strangers-copy");
        stranger.git(strangersCopy, "remote", "add", "pier", developer.git(repo, "remote", "get-url", "pier").strip());
        Command.Result refused = stranger.push(strangersCopy, "pier", "main");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("Permission denied (publickey)");

        // (the cluster holds the keys of the suite's other classes too)
        String fingerprint = developer.fingerprint();
        assertThat(developer.pierOk(null, "key", "list")).contains(fingerprint);
        assertThat(developer.pierOk(null, "key", "remove", fingerprint)).contains("Removed key " + fingerprint);
        assertThat(developer.pierOk(null, "key", "list")).doesNotContain(fingerprint);
        Command.Result removed = developer.push(repo, "pier", "main");
        assertThat(removed.exitCode()).as(removed.output()).isNotZero();
        assertThat(removed.output()).contains("Permission denied (publickey)");

        developer.pierOk(null, "key", "add", developer.publicKey().toString());
        Command.Result again = developer.push(repo, "pier", "main");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("Everything up-to-date");
        assertThat(router.get(Router.domainOf(APP)).body()).contains("hello from node v1 no-greeting");
    }

    /** Mistakes on the command line get one line saying what is wrong, a non-zero exit, and change nothing. */
    @Test
    @Order(11)
    void mistakesOnTheCommandLineGetAOneLineMessage() {
        assertOneLineError(developer.pier(null, "-a", "nosuchapp", "info"), "nosuchapp");
        assertOneLineError(developer.pier(repo, "scale", "web=-1"), "web=-1");
        assertOneLineError(developer.pier(repo, "scale", "web=abc"), "web=abc");
        assertOneLineError(developer.pier(repo, "scale", "nosuchtype=1"), "nosuchtype");
        assertThat(developer.pierOk(repo, "scale").strip()).isEqualTo("web=1");
        assertThat(router.get(Router.domainOf(APP)).body()).contains("hello from node v1 no-greeting");
    }

    /**
     * Regression (#17, 5): a killed router stayed down until someone ran {@code bin/pier-dev up}, and so did etcd.
     * The supervisor that {@code up} leaves running starts a service that dies again, and {@code pier-dev status}
     * counts its restarts.
     */
    @Test
    @Order(12)
    void aServiceThatDiesIsStartedAgainAndStatusCountsItsRestarts() {
        String serving = "hello from node v1 no-greeting";
        assertThat(cluster.status()).contains("supervisor: running");
        for (String service : List.of("router", "etcd")) {
            long pid = cluster.pid(service);
            Command.Result killed = Command.run(Duration.ofSeconds(30), List.of("kill", "-9", String.valueOf(pid)));
            assertThat(killed.exitCode()).as(killed.output()).isZero();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> cluster.pid(service) != pid);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(cluster.status()).containsPattern("(?m)^" + service + " +\\d+ +healthy +1 "));
            router.awaitServing(Router.domainOf(APP), serving);
        }
    }

    /** {@code pier delete --yes} removes the app and its {@code pier} remote; the router then answers 404 for it. */
    @Test
    @Order(13)
    void aDeletedAppIsNoLongerRouted() {
        String deleted = developer.pierOk(repo, "delete", "--yes");
        assertThat(deleted).contains("Deleted " + APP, "Removed git remote pier");
        assertThat(developer.pierOk(null, "apps")).doesNotContain(APP);
        router.awaitStatus(Router.domainOf(APP), 404);
        router.awaitStatus(CUSTOM_DOMAIN, 404);
    }

    /** The app's web jobs that are up, from {@code pier ps --json}. */
    private static List<JsonNode> upWebJobs() throws Exception {
        JsonNode jobs = JSON.readTree(developer.pierOk(repo, "ps", "--json"));
        List<JsonNode> up = new ArrayList<>();
        jobs.forEach(job -> {
            if ("web".equals(job.path("process_type").asText()) && "up".equals(job.path("state").asText())) {
                up.add(job);
            }
        });
        return up;
    }

    /** The current release's id, from {@code pier info --json}. */
    private static String currentRelease() throws Exception {
        JsonNode info = JSON.readTree(developer.pierOk(repo, "info", "--json"));
        String release = info.path("app").path("release_id").asText();
        assertThat(release).as("release id in %s", info).isNotBlank();
        return release;
    }

    /** The first SHA256 fingerprint in {@code pier key} output. */
    private static String fingerprintOf(String output) {
        Matcher matcher = Pattern.compile("SHA256:[A-Za-z0-9+/=]+").matcher(output);
        assertThat(matcher.find()).as("a fingerprint in %s", output).isTrue();
        return matcher.group();
    }

    private static void assertOneLineError(Command.Result result, String naming) {
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        String output = result.output().strip();
        assertThat(output).as("one line").doesNotContain("\n").startsWith("pier: ").contains(naming);
    }
}
