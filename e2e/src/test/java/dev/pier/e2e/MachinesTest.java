package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.testkit.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * A cluster of three machines on this box ({@code bin/pier-dev up --machines 3}, docs/machines.md): each machine a
 * network namespace with its own address, Docker engine, etcd member, discoverd and host agent. An app scaled to 6
 * runs 2 jobs a machine, each published on its machine's address; when machine 2 loses its power under load its
 * jobs run on machines 1 and 3, and when it comes back the app still has exactly 6; when the machine of etcd's
 * leader loses its power, a deploy issued 10 s later completes. The short form of bench/chaos, in CI.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// a second cluster of its own, some 8 minutes: -Dpier.e2e.machines=false leaves it out (docs/e2e.md "On several machines")
@DisabledIfSystemProperty(named = "pier.e2e.machines", matches = "false")
class MachinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.net.http.HttpClient ETCD = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final String APP = "spread";
    /**
     * How long machine 2's jobs may take to run elsewhere: a bound for the behaviour, not the target. Issue #19 asks
     * 10 s; the timing budget (docs/scheduler.md, "How fast a lost machine's jobs move") is measured and printed by
     * bench/cluster/failover, and this test prints its own figure below.
     */
    private static final Duration MOVED = Duration.ofSeconds(60);
    /** The load's clients: enough that those whose request was in flight to machine 2 at its loss leave others. */
    private static final int CLIENTS = 6;

    private static PierCluster cluster;
    private static Router router;
    private static Developer developer;
    private static Path repo;

    @BeforeAll
    static void bootMachines() {
        cluster = PierCluster.upMachines(3);
        router = new Router(cluster.routerAddress(), cluster.routerPort());
        developer = Developer.withNewKey(cluster, "developer");
    }

    @AfterAll
    static void down() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void anAppScaledToSixRunsTwoJobsOnEachMachineAtTheMachinesAddress() throws Exception {
        developer.pierOk(null, "key", "add", developer.publicKey().toString());
        repo = developer.checkout("nodejs", APP);
        Path server = repo.resolve("server.js");
        Files.writeString(server, Files.readString(server).replace("VERSION", "v1"));
        developer.commit(repo, "v1");
        assertThat(developer.pierOk(repo, "create", APP))
                .contains("ssh://git@" + cluster.machineAddress(1) + ":" + cluster.gitPort() + "/" + APP + ".git");
        Command.Result push = developer.push(repo, "pier", "main");
        assertThat(push.exitCode()).as(push.output()).isZero();
        router.awaitServing(Router.domainOf(APP), "hello from node v1");

        assertThat(developer.pierOk(repo, "scale", "web=6")).contains("web: 6/6 up", "Done.");
        Map<String, Integer> perAddress = jobsPerMachineAddress(upWebJobs());
        assertThat(perAddress).as("up web jobs per machine address")
                .containsExactlyInAnyOrderEntriesOf(Map.of(cluster.machineAddress(1), 2, cluster.machineAddress(2), 2,
                        cluster.machineAddress(3), 2));
        router.awaitServing(Router.domainOf(APP), "hello from node v1");
    }

    /**
     * Under constant load through the router ({@link #CLIENTS} clients, a connection a request, each waiting up to
     * 15 s for its answer: the router tries another instance when one does not take the connection within 1 s),
     * machine 2 loses its power: its jobs run on machines 1 and 3; no request that ended before the fault fails, none
     * sent after the recovery, and of those in flight at the loss or sent before the recovery fewer than 1 %. A
     * request the router sent on a kept-alive connection to machine 2 as its power went gets no answer and no
     * refusal: the router finds the connection dead when machine 2 acknowledges nothing for a second
     * ({@code pier.router.dead-instance-timeout}), passes over machine 2's instances from then on, and sends the
     * request to another instance (docs/router.md; before
     * that, most such requests waited until their client gave up, docs/e2e.md "On several machines").
     */
    @Test
    @Order(2)
    void aMachineThatLosesItsPowerHasItsJobsRunElsewhereAndItsReturnMakesNoDuplicates() throws Exception {
        Instant killed;
        Instant recovered;
        List<RouterLoad.Request> requests;
        try (RouterLoad load = new RouterLoad(cluster.routerAddress(), cluster.routerPort(), Router.domainOf(APP),
                CLIENTS, 200_000, Duration.ofMinutes(4), String::strip)) {
            await().pollDelay(Duration.ofSeconds(3)).until(() -> true); // served a while before the fault
            String fault = cluster.fault("kill-machine", 2);
            assertThat(fault).contains("machine 2 lost its power");
            // when the power went: the fault's own line (the command itself takes a second or two to start)
            killed = Instant.parse(fault.lines().filter(line -> line.contains("lost its power")).findFirst()
                    .orElseThrow().split(" ")[0]);
            // polled through the controller's API: the CLI's own start (a JVM, 1-2 s on a busy box) would be
            // counted in the time
            await().atMost(MOVED).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(jobsPerMachineAddress(upWebJobsOfTheApi())).as("up web jobs per machine address")
                            .doesNotContainKey(cluster.machineAddress(2))
                            .containsOnlyKeys(cluster.machineAddress(1), cluster.machineAddress(3))
                            .satisfies(m -> assertThat(m.values().stream().mapToInt(Integer::intValue).sum())
                                    .isEqualTo(6)));
            recovered = Instant.now();
            // served a while after the recovery, and every request sent until then has ended
            await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20)).until(() -> true);
            load.close();
            requests = load.requests();
        }
        // the machine comes back first, so that what the load found cannot leave it down for the next test
        assertThat(cluster.fault("restore-machine", 2)).contains("machine 2 is back");
        // the scheduler may move jobs back to machine 2; at no point after it settles are there more than 6
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(allWebJobsNotStopped()).as("web jobs not stopped or crashed").hasSize(6));
        await().during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(upWebJobs()).as("up web jobs").hasSize(6));
        router.awaitServing(Router.domainOf(APP), "hello from node v1");

        List<RouterLoad.Request> before = requests.stream().filter(r -> !r.ended().isAfter(killed)).toList();
        // in flight at the loss, or sent before the recovery
        List<RouterLoad.Request> affected = requests.stream()
                .filter(r -> r.ended().isAfter(killed) && r.sent().isBefore(recovered)).toList();
        List<RouterLoad.Request> after = requests.stream().filter(r -> !r.sent().isBefore(recovered)).toList();
        int lost = failed(affected).size();
        long slowest = affected.stream().mapToLong(r -> Duration.between(r.sent(), r.ended()).toMillis()).max()
                .orElse(0);
        System.out.printf("machine 2's jobs ran on machines 1 and 3 %d ms after it was killed (seen by a poll every"
                + " quarter of a second through the controller's API); requests: %d ended before the fault"
                + " (%d failed), %d in flight at it or"
                + " sent before the recovery (%d failed, the slowest took %d ms), %d sent after it (%d failed)%n",
                Duration.between(killed, recovered).toMillis(), before.size(), failed(before).size(), affected.size(),
                lost, slowest, after.size(), failed(after).size());
        assertThat(failed(before)).as("failed requests that ended before the fault").isEmpty();
        assertThat(lost * 100L < affected.size())
                .as("%d of the %d requests in flight at the loss or sent before the recovery failed, not fewer than"
                        + " 1 %%: %s", lost, affected.size(), failed(affected)).isTrue();
        assertThat(failed(after)).as("failed requests sent after the recovery").isEmpty();
    }

    /**
     * The machine whose etcd member leads loses its power (machine 1 holds PostgreSQL and the controller, whose loss
     * Pier does not survive: etcd's leadership is handed to machine 2 first): the two other members elect a leader,
     * discoverd and the scheduler go on from the machines left, and a deploy issued 10 s after the loss completes,
     * the router serving the new release when it says so. Then the machine comes back, and the app has its 6 jobs.
     */
    @Test
    @Order(3)
    void aDeployIssuedTenSecondsAfterTheEtcdLeadersMachineLostItsPowerCompletes() throws Exception {
        if (etcdLeaderMachine() == 1) {
            etcdMember(1, "/v3/maintenance/transfer-leadership",
                    "{\"targetID\":\"" + etcdMember(2, "/v3/maintenance/status", "{}").path("header")
                            .path("member_id").asText() + "\"}");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> etcdLeaderMachine() > 1);
        }
        int leader = etcdLeaderMachine();
        assertThat(leader).as("the machine whose etcd member leads").isIn(2, 3);
        String fault = cluster.fault("kill-machine", leader);
        Instant killed = Instant.parse(fault.lines().filter(line -> line.contains("lost its power")).findFirst()
                .orElseThrow().split(" ")[0]);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !Instant.now().isBefore(killed.plusSeconds(10)));

        Instant issued = Instant.now();
        Command.Result deploy = developer.pier(repo, "env", "set", "GREETING=etcd-leader-lost");
        Duration took = Duration.between(issued, Instant.now());
        System.out.printf("machine %d (etcd's leader) lost its power; a deploy issued %d ms later exited %d in %d ms:%n%s%n",
                leader, Duration.between(killed, issued).toMillis(), deploy.exitCode(), took.toMillis(),
                deploy.output());
        assertThat(deploy.exitCode()).as(deploy.output()).isZero();
        assertThat(router.get(Router.domainOf(APP)).body()).as("the first request after the deploy said so")
                .contains("hello from node v1 etcd-leader-lost");
        assertThat(etcdLeaderMachine()).as("etcd's new leader").isNotIn(0, leader);

        assertThat(cluster.fault("restore-machine", leader)).contains("machine " + leader + " is back");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(allWebJobsNotStopped()).as("web jobs not stopped or crashed").hasSize(6));
    }

    /** Which machine's etcd member leads, as the members that answer say; 0 when none does. */
    private static int etcdLeaderMachine() {
        for (int machine = 1; machine <= 3; machine++) {
            try {
                JsonNode status = etcdMember(machine, "/v3/maintenance/status", "{}");
                if (status.path("leader").asText().equals(status.path("header").path("member_id").asText())) {
                    return machine;
                }
            } catch (Exception | AssertionError unreachable) {
                // a machine that is down, or a member that does not answer
            }
        }
        return 0;
    }

    /** A POST to machine {@code n}'s etcd member's HTTP gateway: its JSON answer. */
    private static JsonNode etcdMember(int n, String path, String body) throws Exception {
        java.net.http.HttpResponse<String> response = ETCD.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://" + cluster.machineAddress(n) + ":" + cluster.etcdPort() + path))
                .timeout(Duration.ofSeconds(3)).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("etcd %s on machine %d: %s", path, n, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<RouterLoad.Request> failed(List<RouterLoad.Request> requests) {
        return requests.stream().filter(RouterLoad.Request::failed).toList();
    }

    private static Map<String, Integer> jobsPerMachineAddress(List<JsonNode> jobs) {
        Map<String, Integer> perAddress = new TreeMap<>();
        for (JsonNode job : jobs) {
            String address = job.path("address").asText();
            assertThat(address).as("job %s's address", job.path("id").asText()).matches("[0-9.]+:[0-9]+");
            perAddress.merge(address.substring(0, address.indexOf(':')), 1, Integer::sum);
        }
        return perAddress;
    }

    private static List<JsonNode> upWebJobs() throws Exception {
        return webJobs(List.of("up"));
    }

    /** The same as {@link #upWebJobs}, asked of the controller's API instead of {@code pier ps}. */
    private static List<JsonNode> upWebJobsOfTheApi() throws Exception {
        return webJobs(JSON.readTree(cluster.controllerGet("/apps/" + APP + "/jobs?active=true")), List.of("up"));
    }

    private static List<JsonNode> allWebJobsNotStopped() throws Exception {
        return webJobs(List.of("pending", "starting", "up"));
    }

    private static List<JsonNode> webJobs(List<String> states) throws Exception {
        return webJobs(JSON.readTree(developer.pierOk(repo, "ps", "--json")), states);
    }

    private static List<JsonNode> webJobs(JsonNode jobs, List<String> states) {
        List<JsonNode> matching = new ArrayList<>();
        jobs.forEach(job -> {
            if ("web".equals(job.path("process_type").asText()) && states.contains(job.path("state").asText())) {
                matching.add(job);
            }
        });
        return matching;
    }
}
