package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.testkit.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * "Deployed" means serving (issue #16): after every {@code git push}, {@code pier env set} and {@code pier
 * rollback}, the first request sent the moment the command exits gets the new release, with one web job and with
 * three, while constant load through the router meets no failed request; a deploy whose new job never passes its
 * check fails naming the check and the job's last lines, and the old release serves every request meanwhile.
 *
 * <p>Rounds per kind are small by default (the CI form: 2 pushes, 2 env sets and 1 rollback with each web count;
 * until 2026-12-07 3, 3 and 2, which took 85 s more); {@code bench/deploy/run} runs the long form (20 pushes,
 * 20 env sets and 10 rollbacks with each web count) through {@code -Dpier.deploy.pushes=} and friends, and prints
 * the table this class writes to {@code target/deploy-truth.md}.
 */
@ExtendWith(SharedCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployTruthTest {
    private static final int PUSHES = Integer.getInteger("pier.deploy.pushes", 2);
    private static final int ENV_SETS = Integer.getInteger("pier.deploy.env-sets", 2);
    private static final int ROLLBACKS = Integer.getInteger("pier.deploy.rollbacks", 1);
    private static final String APP = "truth-" + UUID.randomUUID().toString().substring(0, 6);

    private static PierCluster cluster;
    private static Router router;
    private static Developer developer;
    private static Path repo;
    private static final List<String> table = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        cluster = SharedCluster.cluster();
        router = new Router(cluster.routerPort());
        developer = Developer.withNewKey(cluster, "truth");
        developer.pierOk(null, "key", "add", developer.publicKey().toString());
        repo = developer.checkout("nodejs", APP);
        version("r0");
        developer.pierOk(repo, "create", APP);
        table.add("| round | command | took (s) | first request | failed under load |");
        table.add("|---|---|---|---|---|");
    }

    @AfterAll
    static void writeTable() throws Exception {
        Path out = PierCluster.repositoryRoot().resolve("e2e/target/deploy-truth.md");
        Files.createDirectories(out.getParent());
        Files.write(out, table);
        System.out.println(String.join("\n", table));
    }

    private static void version(String version) throws Exception {
        Path server = repo.resolve("server.js");
        String text = Files.readString(server).replaceAll("const version = '[^']*';", "const version = '" + version + "';");
        Files.writeString(server, text.replace("'VERSION'", "'" + version + "'"));
        developer.commit(repo, version);
    }

    /** The first push: "deployed" is printed only once the router serves it (before, the next curl got a 503). */
    @Test
    @Order(1)
    void aFirstPushSaysDeployedOnlyWhenItServes() {
        Command.Result push = developer.push(repo, "pier", "main");
        Router.Answer first = router.get(Router.domainOf(APP));
        assertThat(push.exitCode()).as(push.output()).isZero();
        assertThat(push.output()).contains("-----> v1 deployed");
        assertThat(first.status()).as("the first request after 'deployed': %s", first.body()).isEqualTo(200);
        assertThat(first.body()).contains("hello from node r0");
    }

    @Test
    @Order(2)
    void everyChangeServesTheNewReleaseTheMomentItsCommandEndsWithOneWebJob() throws Exception {
        rounds(1);
    }

    @Test
    @Order(3)
    void everyChangeServesTheNewReleaseTheMomentItsCommandEndsWithThreeWebJobs() throws Exception {
        String scaled = developer.pierOk(repo, "scale", "web=3");
        assertThat(scaled).contains("web: 3/3 up", "Done.");
        // "Done." is true for a client: the three jobs answer from the first request on
        rounds(3);
        developer.pierOk(repo, "scale", "web=1");
    }

    /** Pushes, env sets and rollbacks in a row under constant load; each command's claim checked at once. */
    private void rounds(int web) throws Exception {
        try (RouterLoad load = new RouterLoad(cluster.routerPort(), Router.domainOf(APP), 2, 200_000,
                Duration.ofMinutes(30), body -> body.strip())) {
            for (int i = 1; i <= PUSHES; i++) {
                String version = "w" + web + "-push" + i;
                version(version);
                long start = System.nanoTime();
                Command.Result push = developer.push(repo, "pier", "main");
                check("web=" + web + " push " + i, start, push, "hello from node " + version + " ", load);
                assertThat(push.output()).contains("deployed");
            }
            String greeting = null;
            for (int i = 1; i <= ENV_SETS; i++) {
                String previous = greeting;
                greeting = "w" + web + "-env" + i;
                long start = System.nanoTime();
                Command.Result set = developer.pier(repo, "env", "set", "GREETING=" + greeting);
                check("web=" + web + " env set " + i, start, set, " " + greeting + "\n", load);
                if (i > 1 && i - 1 <= ROLLBACKS) {
                    // roll back to the previous value, then forward again to this one
                    long back = System.nanoTime();
                    Command.Result rollback = developer.pier(repo, "rollback");
                    check("web=" + web + " rollback " + (i - 1), back, rollback, " " + previous + "\n", load);
                    long forward = System.nanoTime();
                    Command.Result again = developer.pier(repo, "env", "set", "GREETING=" + greeting + "-again");
                    check("web=" + web + " env set " + i + " again", forward, again,
                            " " + greeting + "-again\n", load);
                    greeting = greeting + "-again";
                }
            }
            load.close();
            System.out.printf("load during web=%d: %d answered, by body %s, failed %s%n", web, load.succeeded(),
                    load.answers(), load.failures());
            assertThat(load.failures()).as("failed requests under load").isEmpty();
            assertThat(load.succeeded()).isPositive();
        }
    }

    /** The command succeeded, and the first request sent the moment it ended got a body containing {@code expected}. */
    private static void check(String round, long start, Command.Result command, String expected, RouterLoad load) {
        Router.Answer first = router.get(Router.domainOf(APP));
        double took = (System.nanoTime() - start) / 1e9;
        table.add(String.format("| %s | %s | %.1f | %d %s | %d |", round, round.replaceAll(".* (push|env set|rollback).*", "$1"),
                took, first.status(), first.body().strip(), load.failures().size()));
        assertThat(command.exitCode()).as("%s: %s", round, command.output()).isZero();
        assertThat(first.status()).as("%s: the first request after the command: %s", round, first.body()).isEqualTo(200);
        assertThat(first.body()).as("%s: the first request after the command", round).contains(expected);
    }

    /**
     * A release whose web process listens on the wrong port never passes its check: its deploy fails within the
     * app's deploy timeout, naming the job, the check and its last lines, and the old release serves every request.
     */
    @Test
    @Order(4)
    void aDeployWhoseJobNeverPassesItsCheckFailsNamingItAndTheOldReleaseKeepsServing() throws Exception {
        String serving = router.get(Router.domainOf(APP)).body().strip();
        developer.pierOk(repo, "deployment", "timeout", "20");
        Files.writeString(repo.resolve("Procfile"), "web: node -e \"require('http').createServer((q, s) => s.end('x'))"
                + ".listen(9999, () => console.log('listening on 9999, not on ' + process.env.PORT))\"\n");
        developer.commit(repo, "wrong port");
        try (RouterLoad load = new RouterLoad(cluster.routerPort(), Router.domainOf(APP), 2, 100_000,
                Duration.ofMinutes(10), body -> body.strip())) {
            Command.Result push = developer.push(repo, "pier", "main");
            load.close();
            assertThat(push.exitCode()).as(push.output()).isNotZero();
            assertThat(push.output()).contains("the deploy of", "failed: timed out", "its health check (a TCP "
                    + "connection to port 8080)", "listening on 9999, not on 8080", "the previous release keeps running");
            assertThat(load.failures()).as("failed requests while the broken deploy ran").isEmpty();
            assertThat(load.answers()).containsOnlyKeys(serving);
        }
        assertThat(router.get(Router.domainOf(APP)).body().strip()).isEqualTo(serving);
        String builds = developer.pierOk(repo, "builds");
        assertThat(builds).contains("succeeded").doesNotContain("failed");
        developer.git(repo, "rm", "-q", "Procfile");
        developer.commit(repo, "right port again");
    }
}
