package dev.pier.scheduler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.Job;
import dev.pier.api.JobState;
import dev.pier.api.NewDeployment;
import dev.pier.api.controller.DeploymentWatch;
import dev.pier.api.NewRelease;
import dev.pier.api.ProcessType;
import dev.pier.api.Release;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.scheduler.SchedulerApplication;
import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.EtcdServer;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.PostgresServer;
import dev.pier.testkit.Requirements;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler on a real cluster on one machine: etcd, discoverd, the controller over PostgreSQL, three
 * host agents on the Docker engine, two schedulers and the router, each a process of its own. Apps' traffic goes
 * through the router on 127.0.0.1, which forwards to the jobs' ports published on 127.0.0.1.
 */
class SchedulerClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static LocalCluster cluster;
    private static ControllerClient controller;
    private static DiscoverdClient discoverd;
    private static String image;
    private static int routerPort;
    private static List<String> hostIds;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalCluster.shared();
        controller = cluster.controller();
        discoverd = cluster.discoverd();
        image = cluster.image();
        routerPort = cluster.routerPort();
        hostIds = cluster.hostIds();
    }

    /** An app running the test image's web server, deployed and scaled to {@code web}. */
    private static Release app(String name, int web, String command) {
        return cluster.deploy(name, web, command);
    }

    /** A new app's first release (not deployed). */
    private static Release release(String name, String command) {
        return cluster.release(name, command);
    }

    private static List<Job> up(String app, UUID releaseId) {
        return cluster.up(app, releaseId);
    }

    private static Map<String, Long> perHost(List<Job> jobs) {
        return LocalCluster.perHost(jobs);
    }

    @Test
    void scalesSpreadsRestartsAndRollsOutThroughTheRealCluster() throws Exception {
        String app = "shop-" + UUID.randomUUID().toString().substring(0, 6);
        Release v1 = app(app, 6, "httpd -f -p $PORT");
        List<Job> six = await().atMost(WAIT).until(() -> up(app, v1.id()), jobs -> jobs.size() == 6);
        assertThat(perHost(six).values()).as("spread over the three hosts").containsOnly(2L);
        assertThat(six).allSatisfy(j -> assertThat(j.address()).startsWith("127.0.0.1:"));

        controller.scale(app, v1.id(), Map.of("web", 3));
        await().atMost(WAIT).until(() -> controller.jobs(app, true).stream()
                .filter(j -> j.releaseId().equals(v1.id())).count() == 3);
        List<Job> three = await().atMost(WAIT).until(() -> up(app, v1.id()), jobs -> jobs.size() == 3);
        assertThat(perHost(three).values()).containsOnly(1L);

        // A job whose process dies is replaced.
        Job victim = three.get(0);
        DockerEngine.removeContainers("pier.job", victim.id());
        await().atMost(WAIT).until(() -> controller.job(app, victim.id()).state().isTerminal());
        await().atMost(WAIT).until(() -> up(app, v1.id()), jobs -> jobs.size() == 3
                && jobs.stream().noneMatch(j -> j.id().equals(victim.id())));

        // A one-by-one deploy of an env change: the new release ends up running everywhere, the old nowhere.
        Deployment deployment = controller.changeEnv(app, Map.of("GREETING", "v2")).deployment();
        assertThat(deployment.status()).isEqualTo(DeploymentStatus.PENDING);
        await().atMost(WAIT).until(() -> controller.deployment(deployment.id()).status() == DeploymentStatus.COMPLETE);
        assertThat(controller.app(app).releaseId()).isEqualTo(deployment.newReleaseId());
        await().atMost(WAIT).until(() -> up(app, deployment.newReleaseId()), jobs -> jobs.size() == 3);
        await().atMost(WAIT).until(() -> up(app, v1.id()).isEmpty());

        // A release whose web process cannot serve fails its deploy; the running release keeps running.
        Release current = controller.currentRelease(app);
        Release broken = controller.createRelease(app, new NewRelease(current.artifactId(), current.env(),
                Map.of("web", ProcessType.web("exit 3")), Map.of(), "broken"));
        Deployment failing = controller.deploy(app, new NewDeployment(broken.id(), null));
        Deployment failed = await().atMost(WAIT).until(() -> controller.deployment(failing.id()),
                d -> d.status().isFinished());
        assertThat(failed.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(failed.error()).contains("web job of the new release");
        assertThat(controller.app(app).releaseId()).isEqualTo(current.id());
        assertThat(up(app, current.id())).hasSize(3);
    }

    /** The router's answer to one GET of the app's default domain, or null when it is not a 200. */
    private static String routedBody(String app) throws IOException {
        RouterTraffic.Answer answer = RouterTraffic.get(routerPort, app + ".pier.localhost");
        return answer.status() == 200 ? answer.body() : null;
    }

    @Test
    void deploysUnderLoadFailNoRequestAndABrokenReleaseNeverInterruptsService() throws Exception {
        String app = "flow-" + UUID.randomUUID().toString().substring(0, 6);
        String serve = "mkdir -p /tmp/www && echo \"$GREETING\" > /tmp/www/index.html && exec httpd -f -p $PORT -h /tmp/www";
        Release v1 = app(app, 3, serve);
        await().atMost(WAIT).until(() -> up(app, v1.id()), jobs -> jobs.size() == 3);
        await().atMost(WAIT).ignoreExceptions().until(() -> "v1".equals(routedBody(app)));

        // A one-by-one deploy of an env change while four clients keep sending requests through the router.
        Deployment deployment;
        try (RouterTraffic traffic = new RouterTraffic(routerPort, app + ".pier.localhost", 4, 20_000,
                Duration.ofMinutes(3))) {
            deployment = controller.changeEnv(app, Map.of("GREETING", "v2")).deployment();
            Deployment done = DeploymentWatch.await(controller, deployment, WAIT, d -> { });
            assertThat(done.status()).isEqualTo(DeploymentStatus.COMPLETE);
            // "complete" is true for a client: from the moment it is said, every request gets the new release
            for (int i = 0; i < 10; i++) {
                assertThat(routedBody(app)).as("request " + i + " right after the deployment completed").isEqualTo("v2");
            }
            await().atMost(WAIT).until(() -> up(app, v1.id()).isEmpty());
            traffic.close();
            assertThat(controller.deployment(deployment.id()).status()).isEqualTo(DeploymentStatus.COMPLETE);
            assertThat(traffic.failures()).as("failed requests during the deploy").isEmpty();
            assertThat(traffic.bodies()).as("answers by release").containsOnlyKeys("v1", "v2");
            assertThat(traffic.succeeded()).isGreaterThan(100);
        }
        assertThat(routedBody(app)).isEqualTo("v2");

        // A release whose web process exits at once fails its deploy, and the running jobs never stop serving.
        Release current = controller.currentRelease(app);
        Release broken = controller.createRelease(app, new NewRelease(current.artifactId(), current.env(),
                Map.of("web", ProcessType.web("echo broken; exit 3")), Map.of(), "broken"));
        List<String> serving = up(app, current.id()).stream().map(Job::id).toList();
        try (RouterTraffic traffic = new RouterTraffic(routerPort, app + ".pier.localhost", 4, 20_000,
                Duration.ofMinutes(3))) {
            Deployment failing = controller.deploy(app, new NewDeployment(broken.id(), null));
            Deployment failed = await().atMost(WAIT).until(() -> controller.deployment(failing.id()),
                    d -> d.status().isFinished());
            traffic.close();
            assertThat(failed.status()).isEqualTo(DeploymentStatus.FAILED);
            assertThat(traffic.failures()).as("failed requests during the failed deploy").isEmpty();
            assertThat(traffic.bodies()).containsOnlyKeys("v2");
        }
        assertThat(controller.app(app).releaseId()).isEqualTo(current.id());
        assertThat(up(app, current.id())).extracting(Job::id).as("the old jobs were never stopped")
                .containsExactlyInAnyOrderElementsOf(serving);
    }

    @Test
    void aCrashLoopingJobIsRestartedWithGrowingBackOffShownInTheJobList() {
        String app = "loop-" + UUID.randomUUID().toString().substring(0, 6);
        // a release that never comes up cannot be deployed (its deployment fails): run its formation directly
        Release crashing = release(app, "echo crashing; exit 1");
        controller.scale(app, crashing.id(), Map.of("web", 1));
        Job fourth = await().atMost(WAIT).until(() -> controller.jobs(app, false).stream()
                .filter(j -> j.state() == JobState.CRASHED && j.restarts() >= 4).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
        assertThat(fourth.backoffUntil()).as("a crash after the first waits before its restart").isNotNull();
        // The fourth crash in a row waits 4 s (1, 2, 4, ... doubling): the job list shows when it restarts.
        assertThat(Duration.between(fourth.updatedAt(), fourth.backoffUntil()))
                .isGreaterThan(Duration.ofSeconds(2)).isLessThanOrEqualTo(Duration.ofSeconds(5 * 60));
        List<Job> all = controller.jobs(app, false);
        int mostRestarts = all.stream().mapToInt(Job::restarts).max().orElseThrow();
        assertThat(all).as("one job per restart, no burst of restarts").hasSizeLessThanOrEqualTo(mostRestarts + 1);
        assertThat(all).filteredOn(j -> j.state().isActive()).hasSizeLessThanOrEqualTo(1);
    }

    /**
     * A host dies with its containers: its jobs move; when it comes back it gets its share back (regression,
     * #17 item 8: the spread stayed 2/0/1). The leading scheduler dies: the other carries on.
     */
    @Test
    void jobsOfALostHostMoveAndComeBackWithItAndASchedulerTakesOverFromADeadLeader() throws Exception {
        String app = "lost-" + UUID.randomUUID().toString().substring(0, 6);
        Release v1 = app(app, 3, "httpd -f -p $PORT");
        List<Job> jobs = await().atMost(WAIT).until(() -> up(app, v1.id()), list -> list.size() == 3);
        String lostHost = jobs.get(0).hostId();
        cluster.kill(lostHost);
        DockerEngine.removeContainers("pier.host", lostHost);
        List<Job> moved = await().atMost(WAIT).until(() -> up(app, v1.id()),
                list -> list.size() == 3 && list.stream().noneMatch(j -> j.hostId().equals(lostHost)));
        assertThat(moved).hasSize(3);

        cluster.restart(lostHost);
        List<Job> back = await().atMost(WAIT).until(() -> up(app, v1.id()), list -> list.size() == 3
                && perHost(list).size() == 3 && controller.jobs(app, true).size() == 3);
        assertThat(perHost(back).values()).as("one on each host again").containsOnly(1L);

        String leader = discoverd.leader("pier-scheduler").leader().id();
        cluster.kill(leader);
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            var now = discoverd.leader("pier-scheduler").leader();
            return now != null && !now.id().equals(leader);
        });
        controller.scale(app, v1.id(), Map.of("web", 4));
        await().atMost(WAIT).until(() -> up(app, v1.id()), list -> list.size() == 4);
        cluster.restart(leader);
        controller.scale(app, v1.id(), Map.of("web", 0));
    }

    @Test
    void theAppLogMergesItsJobsOutputAndFollowsNewJobs() throws Exception {
        String app = "logs-" + UUID.randomUUID().toString().substring(0, 6);
        Release v1 = app(app, 2, "echo started $PIER_JOB_ID; exec httpd -f -p $PORT");
        List<Job> two = await().atMost(WAIT).until(() -> up(app, v1.id()), jobs -> jobs.size() == 2);
        List<dev.pier.api.LogLine> tail = new ArrayList<>();
        await().atMost(WAIT).untilAsserted(() -> {
            tail.clear();
            controller.log(app, null, 100, false, tail::add);
            assertThat(tail).extracting(dev.pier.api.LogLine::text)
                    .containsAll(two.stream().map(j -> "started " + j.id()).toList());
        });
        assertThat(tail).allSatisfy(line -> {
            assertThat(line.app()).isEqualTo(app);
            assertThat(line.processType()).isEqualTo("web");
            assertThat(line.timestamp()).isNotNull();
        });

        List<dev.pier.api.LogLine> followed = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread follower = new Thread(() -> {
            try {
                controller.log(app, "web", 0, true, followed::add);
            } catch (RuntimeException ignored) {
                // the cluster is torn down under it
            }
        });
        follower.setDaemon(true);
        follower.start();
        Thread.sleep(2000); // let the follow attach before the new job starts (not an assertion on time)
        controller.scale(app, v1.id(), Map.of("web", 3));
        Job third = await().atMost(WAIT).until(() -> up(app, v1.id()), jobs -> jobs.size() == 3).stream()
                .filter(j -> two.stream().noneMatch(o -> o.id().equals(j.id()))).findFirst().orElseThrow();
        await().atMost(WAIT).until(() -> followed.stream().anyMatch(l -> l.text().equals("started " + third.id())));
    }

    @Test
    void aOneOffJobRunsBesideTheFormationAndEndsWithItsExitStatus() throws Exception {
        String app = "run-" + UUID.randomUUID().toString().substring(0, 6);
        Release v1 = app(app, 1, "exec httpd -f -p $PORT");
        List<Job> web = await().atMost(WAIT).until(() -> up(app, v1.id()), jobs -> jobs.size() == 1);

        Job run = controller.run(app, new dev.pier.api.NewJob(null,
                List.of("echo \"hello $GREETING $EXTRA from $PIER_PROCESS_TYPE\"; exit 3"), Map.of("EXTRA", "x"),
                false, false, null));
        assertThat(run.processType()).isEqualTo("run");
        assertThat(run.releaseId()).isEqualTo(v1.id());
        assertThat(run.hostId()).isIn(hostIds);
        List<dev.pier.api.LogLine> output = new ArrayList<>();
        controller.jobLog(app, run.id(), null, true, output::add); // ends when the job does
        assertThat(output).extracting(dev.pier.api.LogLine::text).contains("hello v1 x from run");

        Job ended = await().atMost(WAIT).until(() -> controller.job(app, run.id()), j -> j.state().isTerminal());
        assertThat(ended.state()).isEqualTo(JobState.CRASHED);
        assertThat(ended.exitStatus()).isEqualTo(3);
        assertThat(up(app, v1.id())).as("the formation is untouched").extracting(Job::id)
                .containsExactly(web.get(0).id());
        assertThat(controller.jobs(app, true)).as("a one-off job is not restarted").noneMatch(j -> j.processType().equals("run"));

        var missing = org.assertj.core.api.Assertions.catchThrowableOfType(dev.pier.api.http.PierApiException.class,
                () -> controller.run(app, new dev.pier.api.NewJob(null, List.of(), null, null, null, null)));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.getMessage()).contains("command");
    }

    /** Output of an attached job, as it came. */
    private static final class Output implements java.util.function.Consumer<byte[]> {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        @Override
        public synchronized void accept(byte[] chunk) {
            bytes.writeBytes(chunk);
        }

        synchronized String text() {
            return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static dev.pier.api.NewJob attached(List<String> command, boolean tty) {
        return new dev.pier.api.NewJob(null, command, Map.of(), true, tty, null);
    }

    @Test
    void aJobRunAttachedThroughTheControllerShowsAllItsOutputAndItsExitStatus() throws Exception {
        String app = "att-" + UUID.randomUUID().toString().substring(0, 6);
        app(app, 0, "exec httpd -f -p $PORT");

        Job quick = controller.run(app, attached(List.of("echo hi; exit 3"), false));
        Output output = new Output();
        dev.pier.api.attach.JobExit exit;
        try (var attachment = controller.attach(app, quick.id(), output)) {
            exit = attachment.awaitExit();
        }
        assertThat(output.text()).as("written at once, before any attach could have caught it").isEqualTo("hi\n");
        assertThat(exit).isEqualTo(new dev.pier.api.attach.JobExit(3, JobState.CRASHED, "exited with status 3"));
        Job recorded = await().atMost(WAIT).until(() -> controller.job(app, quick.id()), j -> j.state().isTerminal());
        assertThat(recorded.exitStatus()).as("the scheduler's report reaches the job record").isEqualTo(3);

        Job shell = controller.run(app, attached(List.of("sh"), true));
        Output terminal = new Output();
        try (var attachment = controller.attach(app, shell.id(), terminal)) {
            attachment.resize(100, 30);
            byte[] typed = "stty size; echo ping\nexit 5\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            attachment.stdin(typed, typed.length);
            exit = attachment.awaitExit();
        }
        assertThat(terminal.text()).containsPattern("(?m)^ping\r?$").containsPattern("(?m)^30 100\r?$");
        assertThat(exit.exitStatus()).isEqualTo(5);
        assertThat(exit.state()).isEqualTo(JobState.CRASHED);

        Job viaShell = controller.run(app, attached(List.of("no-such-program"), false));
        try (var attachment = controller.attach(app, viaShell.id(), bytes -> { })) {
            assertThat(attachment.awaitExit().exitStatus()).as("one argument runs through a shell").isEqualTo(127);
        }
        Job missing = controller.run(app, attached(List.of("no-such-program", "--now"), false));
        try (var attachment = controller.attach(app, missing.id(), bytes -> { })) {
            exit = attachment.awaitExit();
        }
        assertThat(exit.exitStatus()).as("it never ran").isNull();
        assertThat(exit.state()).isEqualTo(JobState.FAILED);
        assertThat(exit.reason()).contains("no-such-program", "not found");
    }

    @Test
    void aDetachedRunWritesToItsLogAndAClientThatLeavesStopsItsJob() throws Exception {
        String app = "det-" + UUID.randomUUID().toString().substring(0, 6);
        app(app, 0, "exec httpd -f -p $PORT");

        Job detached = controller.run(app, new dev.pier.api.NewJob(null, List.of("echo", "detached", "run"), Map.of(),
                false, false, null));
        List<dev.pier.api.LogLine> log = new ArrayList<>();
        controller.jobLog(app, detached.id(), null, true, log::add); // ends when the job does
        assertThat(log).extracting(dev.pier.api.LogLine::text).containsExactly("detached run");

        Job shell = controller.run(app, attached(List.of("sh"), false));
        Output output = new Output();
        var attachment = controller.attach(app, shell.id(), output);
        byte[] typed = "echo ready\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        attachment.stdin(typed, typed.length);
        await().atMost(WAIT).until(() -> output.text().contains("ready"));
        attachment.close();
        Job left = await().atMost(WAIT).until(() -> controller.job(app, shell.id()), j -> j.state().isTerminal());
        assertThat(left.state()).as("stopped: nobody is attached to it any more").isEqualTo(JobState.DOWN);

        var unknownApp = org.assertj.core.api.Assertions.catchThrowableOfType(dev.pier.api.http.PierApiException.class,
                () -> controller.run("no-such-app", attached(List.of("true"), false)));
        assertThat(unknownApp.status()).isEqualTo(404);
        var unknownJob = org.assertj.core.api.Assertions.catchThrowableOfType(dev.pier.api.http.PierApiException.class,
                () -> controller.attach(app, "no-such-job", bytes -> { }).awaitExit());
        assertThat(unknownJob.status()).isEqualTo(404);
        assertThat(unknownJob.getMessage()).contains("has no job no-such-job");
        var notInteractive = org.assertj.core.api.Assertions.catchThrowableOfType(
                dev.pier.api.http.PierApiException.class, () -> {
                    Job sleeper = controller.run(app, new dev.pier.api.NewJob(null, List.of("sleep 60"), Map.of(), false,
                            false, null));
                    try {
                        controller.attach(app, sleeper.id(), bytes -> { }).awaitExit();
                    } finally {
                        controller.stopJob(app, sleeper.id());
                    }
                });
        assertThat(notInteractive.status()).isEqualTo(409);
        assertThat(notInteractive.getMessage()).contains("was not started interactive");
    }
}
