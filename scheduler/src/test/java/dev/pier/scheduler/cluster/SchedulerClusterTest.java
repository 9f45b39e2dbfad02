package dev.pier.scheduler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.App;
import dev.pier.api.Artifact;
import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.Job;
import dev.pier.api.JobState;
import dev.pier.api.NewApp;
import dev.pier.api.NewArtifact;
import dev.pier.api.NewDeployment;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scheduler on a real cluster on one machine: etcd, discoverd, the controller over PostgreSQL, three
 * host agents on the Docker engine, and two schedulers, each a process of its own.
 */
class SchedulerClusterTest {
    private static final String KEY = "scheduler-cluster-key";
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Seven JVMs starting at once on two cores take a while: a deadline for start-up, not a speed check. */
    private static final Duration START_UP = Duration.ofMinutes(4);
    private static final Path TARGET = Path.of("..");

    private static EtcdServer etcd;
    private static Path logs;
    private static final Map<String, Process> processes = new LinkedHashMap<>();
    private static final List<String> hostIds = new ArrayList<>();
    private static ControllerClient controller;
    private static DiscoverdClient discoverd;
    private static String image;
    private static String discoverdUrl;

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Process launch(String name, List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx160m"));
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile()).start();
        processes.put(name, process);
        return process;
    }

    private static Path jar(String module, String name) {
        Path jar = TARGET.resolve(module).resolve("target").resolve(name);
        Requirements.require(Files.isRegularFile(jar), jar + " (built by mvn package before the scheduler)");
        return jar;
    }

    private static void startAgent(String hostId) throws IOException {
        int base = 20000 + (FreePorts.next() % 400) * 100;
        launch(hostId, List.of("-jar", jar("host-agent", "pier-host-agent.jar").toString(),
                "--server.port=" + FreePorts.next(), "--pier.cluster-key=" + KEY, "--pier.host-agent.host-id=" + hostId,
                "--pier.host-agent.port-range=" + base + "-" + (base + 49), "--pier.host-agent.total-memory-mb=2048",
                "--pier.host-agent.stop-grace=2s", "--pier.host-agent.health-interval=1s",
                "--pier.host-agent.discoverd-url=" + discoverdUrl, "--pier.host-agent.discoverd-ttl=2s",
                "--pier.host-agent.docker-host=" + DockerEngine.host(), "--logging.level.root=WARN",
                "--logging.level.dev.pier=INFO"));
    }

    private static void startScheduler(String id) throws IOException {
        launch(id, List.of("-cp", System.getProperty("java.class.path"), SchedulerApplication.class.getName(),
                "--server.port=" + FreePorts.next(), "--pier.cluster-key=" + KEY, "--pier.scheduler.id=" + id,
                "--pier.scheduler.interval=1s", "--pier.scheduler.job-memory-mb=64",
                "--pier.scheduler.controller-url=" + controller.base(), "--pier.scheduler.discoverd-url=" + discoverdUrl,
                "--logging.level.root=WARN", "--logging.level.dev.pier=INFO"));
    }

    @BeforeAll
    static void startCluster() throws Exception {
        image = DockerEngine.testImage();
        etcd = EtcdServer.start();
        logs = Files.createTempDirectory("pier-scheduler-cluster-");
        int discoverdPort = FreePorts.next();
        discoverdUrl = "http://127.0.0.1:" + discoverdPort;
        launch("discoverd", List.of("-jar", jar("discoverd", "pier-discoverd.jar").toString(),
                "--server.port=" + discoverdPort, "--pier.cluster-key=" + KEY,
                "--pier.discoverd.etcd-endpoints=" + etcd.endpoint(), "--pier.discoverd.default-ttl=2s",
                "--pier.discoverd.key-prefix=/test-" + UUID.randomUUID().toString().substring(0, 8),
                "--logging.level.root=WARN"));
        int controllerPort = FreePorts.next();
        launch("controller", List.of("-jar", jar("controller", "pier-controller-exec.jar").toString(),
                "--server.port=" + controllerPort, "--pier.cluster-key=" + KEY,
                "--spring.datasource.url=" + PostgresServer.shared().newDatabase(),
                "--spring.datasource.username=" + PostgresServer.USER, "--pier.controller.discoverd-url=" + discoverdUrl,
                "--logging.level.root=WARN"));
        controller = new ControllerClient(URI.create("http://127.0.0.1:" + controllerPort), KEY);
        discoverd = new DiscoverdClient(URI.create(discoverdUrl), KEY);
        for (int i = 0; i < 3; i++) {
            String hostId = "s" + UUID.randomUUID().toString().substring(0, 7);
            hostIds.add(hostId);
            startAgent(hostId);
        }
        startScheduler("scheduler-a");
        startScheduler("scheduler-b");
        await().atMost(START_UP).ignoreExceptions().until(() -> controller.apps() != null);
        await().atMost(START_UP).ignoreExceptions().until(() -> discoverd.instances("pier-host").size() == 3);
        await().atMost(START_UP).ignoreExceptions().until(() -> discoverd.leader("pier-scheduler").leader() != null);
        await().atMost(START_UP).ignoreExceptions().until(() -> discoverd.leader("pier-host-leader").leader() != null);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        processes.values().forEach(Process::destroyForcibly);
        for (Process process : processes.values()) {
            process.waitFor();
        }
        hostIds.forEach(id -> DockerEngine.removeContainers("pier.host", id));
        if (discoverd != null) {
            discoverd.close();
        }
        if (etcd != null) {
            etcd.close();
        }
        if (logs != null && !Requirements.underCi()) {
            Command.run(Duration.ofSeconds(30), List.of("rm", "-rf", logs.toString()));
        }
    }

    /** An app running the test image's web server, deployed and scaled to {@code web}. */
    private static Release app(String name, int web, String command) {
        App app = controller.createApp(NewApp.named(name));
        Artifact artifact = controller.createArtifact(new NewArtifact("docker", image, null, null, Map.of()));
        Release release = controller.createRelease(app.name(), new NewRelease(artifact.id(), Map.of("GREETING", "v1"),
                Map.of("web", ProcessType.web(command)), Map.of(), "test"));
        controller.deploy(app.name(), new NewDeployment(release.id(), null));
        if (web != 1) {
            controller.scale(app.name(), release.id(), Map.of("web", web));
        }
        return release;
    }

    private static List<Job> up(String app, UUID releaseId) {
        return controller.jobs(app, true).stream()
                .filter(j -> j.state() == JobState.UP && j.releaseId().equals(releaseId)).toList();
    }

    private static Map<String, Long> perHost(List<Job> jobs) {
        return jobs.stream().collect(Collectors.groupingBy(Job::hostId, Collectors.counting()));
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

    @Test
    void jobsOfALostHostMoveAndASchedulerTakesOverFromADeadLeader() throws Exception {
        String app = "lost-" + UUID.randomUUID().toString().substring(0, 6);
        Release v1 = app(app, 3, "httpd -f -p $PORT");
        List<Job> jobs = await().atMost(WAIT).until(() -> up(app, v1.id()), list -> list.size() == 3);
        String lostHost = jobs.get(0).hostId();
        processes.get(lostHost).destroyForcibly().waitFor();
        DockerEngine.removeContainers("pier.host", lostHost);
        List<Job> moved = await().atMost(WAIT).until(() -> up(app, v1.id()),
                list -> list.size() == 3 && list.stream().noneMatch(j -> j.hostId().equals(lostHost)));
        assertThat(moved).hasSize(3);

        String leader = discoverd.leader("pier-scheduler").leader().id();
        processes.get(leader).destroyForcibly().waitFor();
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            var now = discoverd.leader("pier-scheduler").leader();
            return now != null && !now.id().equals(leader);
        });
        controller.scale(app, v1.id(), Map.of("web", 4));
        await().atMost(WAIT).until(() -> up(app, v1.id()), list -> list.size() == 4);
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
    void aOneOffJobRunsBesideTheFormationAndEndsWithItsExitStatus() {
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
    void aJobRunAttachedThroughTheControllerShowsAllItsOutputAndItsExitStatus() {
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
    void aDetachedRunWritesToItsLogAndAClientThatLeavesStopsItsJob() {
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
