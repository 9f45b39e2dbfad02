package dev.pier.gitreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.App;
import dev.pier.api.Build;
import dev.pier.api.BuildState;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.Job;
import dev.pier.api.NewApp;
import dev.pier.api.Release;
import dev.pier.api.blob.BlobstoreClient;
import dev.pier.api.blob.StoredBlob;
import dev.pier.api.controller.ControllerClient;
import dev.pier.gitreceiver.cleanup.DeletedApps;
import dev.pier.gitreceiver.cleanup.Leftovers;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.gitreceiver.ssh.SshServerLifecycle;
import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.EtcdServer;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.JavaServices;
import dev.pier.testkit.PostgresServer;
import dev.pier.testkit.Requirements;
import dev.pier.testkit.StackImages;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code git push} end to end, with the real {@code git} and {@code ssh} clients against a running cluster on
 * this machine: etcd, PostgreSQL, discoverd, the controller, the blobstore, a host agent on the real Docker
 * engine, the scheduler and the router as their built jars, and this git receiver. Apps are reached the way
 * users reach them: through the router, by their default domain.
 */
class GitPushEndToEndTest {
    private static final String KEY = "git-push-e2e-key";
    private static final Duration START_UP = Duration.ofMinutes(4);
    private static final Duration PUSH = Duration.ofMinutes(12);
    private static final Duration SERVE = Duration.ofMinutes(3);
    private static final String HOST_ID = "gp" + UUID.randomUUID().toString().substring(0, 6);

    private static JavaServices services;
    private static EtcdServer etcd;
    private static ConfigurableApplicationContext receiver;
    private static ControllerClient controller;
    private static BlobstoreClient blobs;
    private static int sshPort;
    private static int routerPort;
    private static Path work;
    private static Path userKey;
    private static Path strangerKey;

    @BeforeAll
    static void startCluster() throws Exception {
        for (String tool : List.of("git", "ssh", "ssh-keygen", "curl")) {
            Requirements.require(Command.which(tool) != null, tool);
        }
        DockerEngine.require();
        services = new JavaServices("pier-git-push-");
        StackImages images = StackImages.build(services.repository());
        etcd = EtcdServer.start();
        work = Files.createTempDirectory("pier-git-push-work-");
        int discoverdPort = FreePorts.next();
        int controllerPort = FreePorts.next();
        int blobPort = FreePorts.next();
        routerPort = FreePorts.next();
        String discoverdUrl = "http://127.0.0.1:" + discoverdPort;
        String controllerUrl = "http://127.0.0.1:" + controllerPort;
        services.startJar("discoverd", "discoverd", "pier-discoverd-exec.jar", List.of("--server.port=" + discoverdPort,
                "--pier.cluster-key=" + KEY, "--pier.discoverd.etcd-endpoints=" + etcd.endpoint(),
                "--pier.discoverd.key-prefix=/gp-" + UUID.randomUUID().toString().substring(0, 8),
                "--logging.level.root=WARN"));
        services.startJar("blobstore", "blobstore", "pier-blobstore-exec.jar", List.of("--server.port=" + blobPort,
                "--pier.cluster-key=" + KEY, "--pier.blobstore.data-dir=" + work.resolve("blobs"),
                "--pier.blobstore.extra-bind-addresses=" + DockerEngine.bridgeGateway(), "--logging.level.root=WARN"));
        services.startJar("controller", "controller", "pier-controller-exec.jar", List.of(
                "--server.port=" + controllerPort, "--pier.cluster-key=" + KEY,
                "--spring.datasource.url=" + PostgresServer.shared().newDatabase(),
                "--spring.datasource.username=" + PostgresServer.USER, "--pier.controller.discoverd-url=" + discoverdUrl,
                "--pier.controller.job-blobstore-url=http://host.docker.internal:" + blobPort,
                "--pier.controller.stack-build-image=" + images.buildImage(),
                "--pier.controller.slug-runner-image=" + images.runImage(), "--logging.level.root=WARN",
                "--logging.level.dev.pier=INFO"));
        int agentBase = 20000 + (FreePorts.next() % 400) * 100;
        services.startJar(HOST_ID, "host-agent", "pier-host-agent-exec.jar", List.of("--server.port=" + FreePorts.next(),
                "--pier.cluster-key=" + KEY, "--pier.host-agent.host-id=" + HOST_ID,
                "--pier.host-agent.port-range=" + agentBase + "-" + (agentBase + 49),
                "--pier.host-agent.total-memory-mb=6144", "--pier.host-agent.stop-grace=3s",
                "--pier.host-agent.discoverd-url=" + discoverdUrl, "--pier.host-agent.discoverd-ttl=3s",
                "--pier.host-agent.docker-host=" + DockerEngine.host(), "--logging.level.root=WARN",
                "--logging.level.dev.pier=INFO"));
        services.startJar("scheduler", "scheduler", "pier-scheduler-exec.jar", List.of("--server.port=" + FreePorts.next(),
                "--pier.cluster-key=" + KEY, "--pier.scheduler.id=scheduler-gp", "--pier.scheduler.interval=1s",
                "--pier.scheduler.job-memory-mb=256", "--pier.scheduler.slug-runner-image=" + images.runImage(),
                "--pier.scheduler.controller-url=" + controllerUrl, "--pier.scheduler.discoverd-url=" + discoverdUrl,
                "--logging.level.root=WARN", "--logging.level.dev.pier=INFO"));
        services.startJar("router", "router", "pier-router-exec.jar", List.of("--pier.router.port=" + routerPort,
                "--pier.router.admin-port=" + FreePorts.next(), "--pier.router.tls-port=" + FreePorts.next(),
                "--pier.router.cluster-key=" + KEY,
                "--pier.router.controller-url=" + controllerUrl, "--pier.router.discoverd-url=" + discoverdUrl,
                "--pier.router.route-poll=1s", "--logging.level.root=WARN"));
        controller = new ControllerClient(URI.create(controllerUrl), KEY, Duration.ofSeconds(30));
        blobs = new BlobstoreClient(URI.create("http://127.0.0.1:" + blobPort), KEY, Duration.ofSeconds(30),
                Duration.ofMinutes(1));
        try (DiscoverdClient discoverd = new DiscoverdClient(URI.create(discoverdUrl), KEY)) {
            await().atMost(START_UP).ignoreExceptions().until(() -> controller.apps() != null);
            await().atMost(START_UP).ignoreExceptions().until(() -> discoverd.leader("pier-host-leader").leader() != null);
            await().atMost(START_UP).ignoreExceptions().until(() -> discoverd.leader("pier-scheduler").leader() != null);
        }
        receiver = new SpringApplicationBuilder(GitReceiverApplication.class).run("--pier.cluster-key=" + KEY,
                "--pier.git-receiver.port=0", "--pier.git-receiver.state-dir=" + work.resolve("receiver"),
                "--pier.git-receiver.controller-url=" + controllerUrl,
                "--pier.git-receiver.blobstore-url=http://127.0.0.1:" + blobPort,
                "--pier.git-receiver.router-port=" + routerPort, "--pier.git-receiver.deploy-timeout=4m");
        sshPort = receiver.getBean(SshServerLifecycle.class).port();
        userKey = newKey("user");
        strangerKey = newKey("stranger");
        controller.addKey(Files.readString(Path.of(userKey + ".pub")).strip());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (receiver != null) {
            receiver.close();
        }
        if (services != null) {
            services.close();
        }
        DockerEngine.removeContainers("pier.host", HOST_ID);
        if (etcd != null) {
            etcd.close();
        }
        if (work != null && !Requirements.underCi()) {
            Command.run(Duration.ofSeconds(60), List.of("rm", "-rf", work.toString()));
        }
    }

    private static Path newKey(String name) {
        Path key = work.resolve("id_" + name);
        Command.check(Duration.ofSeconds(30), List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name + "@test",
                "-f", key.toString()));
        return key;
    }

    private record Push(int exitCode, String output, Duration took) {
    }

    /** A git repository holding the sample app {@code sample}, committed on main. */
    private static Path repository(String sample) throws IOException {
        Path repo = work.resolve(sample + "-" + UUID.randomUUID().toString().substring(0, 6));
        Path source = Path.of("src/test/resources/apps", sample);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = repo.resolve(source.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        git(repo, "init", "-q", "-b", "main");
        commit(repo, "first");
        return repo;
    }

    private static String git(Path repo, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Pier Test", "-c", "user.email=test@pier.dev"));
        command.addAll(List.of(args));
        Command.Result result = Command.run(Duration.ofSeconds(60), command, repo, Map.of());
        assertThat(result.exitCode()).as("git %s: %s", String.join(" ", args), result.output()).isZero();
        return result.output();
    }

    private static void commit(Path repo, String message) {
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", message);
    }

    private static Push push(Path repo, String app, Path key, String... refspec) {
        List<String> command = new ArrayList<>(List.of("git", "push", "ssh://git@127.0.0.1:" + sshPort + "/" + app + ".git"));
        command.addAll(List.of(refspec.length == 0 ? new String[] {"main"} : refspec));
        String ssh = "ssh -i " + key + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
        long start = System.nanoTime();
        Command.Result result = Command.run(PUSH, command, repo, Map.of("GIT_SSH_COMMAND", ssh));
        Push push = new Push(result.exitCode(), result.output(), Duration.ofNanos(System.nanoTime() - start));
        System.out.printf("push of %s took %d ms, exit %d:%n%s%n", app, push.took().toMillis(), push.exitCode(), push.output());
        return push;
    }

    /** What the router answers for the app's default domain ({@code curl -H 'Host: ...'}). */
    private static String get(String app) {
        return Command.run(Duration.ofSeconds(20), List.of("curl", "-sS", "-m", "10", "-H", "Host: " + app + ".pier.localhost",
                "http://127.0.0.1:" + routerPort + "/")).output();
    }

    private static void awaitServing(String app, String expected) {
        await().atMost(SERVE).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(get(app)).contains(expected));
    }

    private static String newApp(String prefix) {
        App app = controller.createApp(NewApp.named(prefix + "-" + UUID.randomUUID().toString().substring(0, 6)));
        return app.name();
    }

    /** How long each build job of the app ran, oldest first (the scheduler reports them ended). */
    private static List<Duration> buildTimes(String app) {
        List<Job> builds = await().atMost(SERVE).until(() -> controller.jobs(app, false).stream()
                .filter(j -> j.processType().equals("build")).sorted(java.util.Comparator.comparing(Job::createdAt))
                .toList(), jobs -> jobs.stream().allMatch(j -> j.state().isTerminal()));
        return builds.stream().map(j -> Duration.between(j.createdAt(), j.updatedAt())).toList();
    }

    @Test
    void aNodeAppIsBuiltServedConfiguredRebuiltFromCacheAndSurvivesABrokenPush() throws Exception {
        String app = newApp("node");
        Path repo = repository("nodejs");
        Path server = repo.resolve("server.js");
        Files.writeString(server, Files.readString(server).replace("VERSION", "v1"));
        commit(repo, "v1");

        Push first = push(repo, app, userKey);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("remote: -----> Node.js app detected", "this is the first build",
                "deployed", "http://" + app + ".pier.localhost:" + routerPort + "/");
        awaitServing(app, "hello from node v1 no-greeting");
        Release v1 = controller.currentRelease(app);
        assertThat(v1.processes()).containsKey("web");
        assertThat(v1.meta()).containsEntry("commit", git(repo, "rev-parse", "HEAD").strip());

        controller.changeEnv(app, Map.of("GREETING", "hi"));
        awaitServing(app, "hello from node v1 hi");

        Files.writeString(server, Files.readString(server).replace("'v1'", "'v2'"));
        commit(repo, "v2");
        Push second = push(repo, app, userKey);
        assertThat(second.exitCode()).as(second.output()).isZero();
        // the sample runs on the stacks' Node.js (linked, not in the slug): the cache holds the version's resolution;
        // a config var came since the last build (an input of npm ci): it installs again, and the cache is saved
        assertThat(second.output()).contains("Using Node.js", "from the stack", "Reusing from the previous build: "
                + "the resolution of 24.x", "not asking the registry again", "Installing node modules",
                "Saving build cache")
                .doesNotContain("this is the first build", "Downloading Node.js", "not installing again");
        // how much faster is measured by bench/push, not asserted here (no timed assertions in tests)
        System.out.println("build times of " + app + ": " + buildTimes(app));
        awaitServing(app, "hello from node v2 hi"); // config vars carry over to the pushed release
        String v2Commit = git(repo, "rev-parse", "HEAD").strip();

        Files.copy(Path.of("src/test/resources/apps/broken-node/package.json"), repo.resolve("package.json"),
                StandardCopyOption.REPLACE_EXISTING);
        commit(repo, "broken");
        Push broken = push(repo, app, userKey);
        assertThat(broken.exitCode()).as(broken.output()).isNotZero();
        assertThat(broken.output()).contains("package.json is not valid JSON", "[remote rejected]", "build failed");
        assertThat(get(app)).as("the running release keeps serving").contains("hello from node v2 hi");
        Build failed = controller.builds(app, 1).get(0);
        assertThat(failed.state()).isEqualTo(BuildState.FAILED);
        assertThat(failed.error()).startsWith("build failed");
        assertThat(failed.releaseId()).isNull();
        List<String> failedOutput = new ArrayList<>();
        controller.buildLog(app, failed.id(), false, line -> failedOutput.add(line.text()));
        assertThat(failedOutput).anySatisfy(line -> assertThat(line).contains("package.json is not valid JSON"));
        assertThat(controller.currentRelease(app).meta()).containsEntry("commit", v2Commit);

        Push again = push(repo, app, userKey, "HEAD~1:main");
        assertThat(again.exitCode()).as("re-push of the deployed commit").isZero();
        assertThat(again.output()).contains("Everything up-to-date");

        git(repo, "reset", "-q", "--hard", "HEAD~2"); // back to v1
        Push forced = push(repo, app, userKey, "--force", "main");
        assertThat(forced.exitCode()).as(forced.output()).isZero();
        // the same package.json, lockfile, runtime and config vars as the last build's npm ci: none, and nothing to save
        assertThat(forced.output()).contains("whose npm ci gave the node_modules restored above: not installing again",
                "Build cache unchanged: not saved again").doesNotContain("Installing node modules");
        awaitServing(app, "hello from node v1 hi");
    }

    /**
     * The build is the controller's: a pusher that goes away mid-build (its {@code git push} killed) leaves a
     * build that runs to its end and is released and deployed; its output is kept.
     */
    @Test
    void aBuildOutlivesAPusherThatLeavesAndIsReleasedAndKept() throws Exception {
        String app = newApp("leaver");
        Path repo = repository("nodejs");
        Path server = repo.resolve("server.js");
        Files.writeString(server, Files.readString(server).replace("VERSION", "left"));
        commit(repo, "left");
        String ssh = "ssh -i " + userKey + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
        ProcessBuilder builder = new ProcessBuilder("git", "push", "ssh://git@127.0.0.1:" + sshPort + "/" + app + ".git",
                "main").directory(repo.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("leaver.out").toFile());
        builder.environment().put("GIT_SSH_COMMAND", ssh);
        Process push = builder.start();
        Build building = await().atMost(PUSH).until(() -> controller.builds(app, 1).stream().findFirst(),
                b -> b.isPresent() && b.get().state() == BuildState.BUILDING).orElseThrow();
        push.descendants().forEach(ProcessHandle::destroyForcibly);
        push.destroyForcibly();
        push.waitFor();

        Build built = await().atMost(PUSH).until(() -> controller.build(app, building.id()), b -> b.state().isFinished());
        assertThat(built.state()).as(built.error()).isEqualTo(BuildState.SUCCEEDED);
        assertThat(built.releaseVersion()).isEqualTo(1);
        assertThat(built.deploymentId()).isNotNull();
        assertThat(built.processTypes()).containsKey("web");
        assertThat(built.commit()).isEqualTo(git(repo, "rev-parse", "HEAD").strip());
        await().atMost(SERVE).until(() -> controller.deployment(built.deploymentId()).status().isFinished());
        assertThat(controller.deployment(built.deploymentId()).status()).isEqualTo(DeploymentStatus.COMPLETE);
        assertThat(get(app)).contains("hello from node left");
        List<String> output = new ArrayList<>();
        controller.buildLog(app, built.id(), false, line -> output.add(line.text()));
        assertThat(output).contains("-----> Node.js app detected").noneMatch(line -> line.startsWith("PIER-RESULT"));
        // the receiver's hook went on without its pusher and moved the branch once the deploy succeeded
        Push again = await().atMost(SERVE).until(() -> push(repo, app, userKey), p -> p.exitCode() == 0);
        assertThat(again.output()).contains("Everything up-to-date");
    }

    @Test
    void staticProcfileAndJavaAppsAreBuiltAndServed() throws Exception {
        Map<String, String> expected = Map.of("static", "hello from a static site",
                "procfile", "hello from a Procfile app", "java", "hello from java");
        Map<String, String> detected = Map.of("static", "Static site", "procfile", "Procfile", "java", "Java (Maven)");
        for (String sample : List.of("static", "procfile", "java")) {
            String app = newApp(sample);
            Push push = push(repository(sample), app, userKey);
            assertThat(push.exitCode()).as(push.output()).isZero();
            assertThat(push.output()).contains("-----> " + detected.get(sample) + " app detected");
            awaitServing(app, expected.get(sample));
        }
    }

    @Test
    void twoPushesToOneAppAtOnceRunOneAfterTheOther() throws Exception {
        String app = newApp("twice");
        Path first = repository("procfile");
        Path second = repository("procfile");
        Files.writeString(second.resolve("public/index.html"), "the second push\n");
        commit(second, "second");
        CompletableFuture<Push> a = CompletableFuture.supplyAsync(() -> push(first, app, userKey));
        CompletableFuture<Push> b = CompletableFuture.supplyAsync(() -> push(second, app, userKey, "--force", "main"));
        Push one = a.get();
        Push two = b.get();
        assertThat(one.output() + two.output()).as("one push waited for the other").contains("Waiting for another push");
        List<Push> deployed = Stream.of(one, two).filter(p -> p.exitCode() == 0).toList();
        assertThat(deployed).as("the first to get the app deploys").isNotEmpty();
        for (Push push : List.of(one, two)) {
            assertThat(push.output().indexOf("-----> Building")).as("no interleaving")
                    .isEqualTo(push.output().lastIndexOf("-----> Building"));
            if (push.exitCode() != 0) {
                // both saw no main when they began: the one that waited finds main moved, as git's own
                // compare-and-swap of refs would, and is told before building anything
                assertThat(push.output()).contains("main moved while this push waited").doesNotContain("-----> Building");
            }
        }
        assertThat(controller.releases(app)).hasSize(deployed.size());
    }

    @Test
    void anAppMadeUnderADeletedAppsNameStartsAfresh() throws Exception {
        String app = newApp("reborn");
        Path repo = repository("procfile");
        Push first = push(repo, app, userKey);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("No build cache yet", "Saving build cache");
        awaitServing(app, "hello from a Procfile app");

        UUID oldId = controller.app(app).id();
        Path oldRepository = repositories().resolve(Leftovers.repository(app, oldId));
        assertThat(oldRepository).isDirectory();
        assertThat(paths("caches/" + app + "/")).containsExactly(Leftovers.cache(app, oldId));
        assertThat(paths("sources/" + app + "/")).hasSize(1);
        controller.deleteApp(app);
        // the deleted app's repository, build cache and sources go (the git receiver follows app deletions)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(oldRepository).doesNotExist();
            assertThat(paths("caches/" + app + "/")).isEmpty();
            assertThat(paths("sources/" + app + "/")).isEmpty();
        });
        assertThat(paths("slugs/" + app + "/")).as("slugs stay with the releases").hasSize(1);
        controller.createApp(NewApp.named(app));
        Push again = push(repo, app, userKey);
        assertThat(again.exitCode()).as(again.output()).isZero();
        // the same commit is new to the new app's repository (not "Everything up-to-date"), and is built without
        // the deleted app's build cache
        assertThat(again.output()).contains("-----> Building", "No build cache yet")
                .doesNotContain("Restoring build cache", "Everything up-to-date");
        awaitServing(app, "hello from a Procfile app");
        assertThat(controller.releases(app)).hasSize(1);
    }

    @Test
    void theSweepRemovesWhatAppsDeletedWhileTheReceiverWasDownLeftAndKeepsWhatLiveAppsUse() throws Exception {
        String app = newApp("kept");
        Path repo = repository("procfile");
        Push push = push(repo, app, userKey);
        assertThat(push.exitCode()).as(push.output()).isZero();
        UUID id = controller.app(app).id();
        // what a deleted app would have left, had its deletion happened while the receiver was not running
        String ghost = "ghost-" + UUID.randomUUID().toString().substring(0, 6);
        UUID ghostId = UUID.randomUUID();
        Files.createDirectories(repositories().resolve(Leftovers.repository(ghost, ghostId)).resolve("objects"));
        Path stray = Files.writeString(work.resolve("stray.tgz"), "stray");
        blobs.put(Leftovers.cache(ghost, ghostId), stray, (String) null);
        blobs.put("sources/" + ghost + "/0123abcd.tgz", stray, (String) null);
        blobs.put(Leftovers.cache(app, UUID.randomUUID()), stray, (String) null); // a deleted namesake's cache

        receiver.getBean(DeletedApps.class).sweep();

        assertThat(repositories().resolve(Leftovers.repository(ghost, ghostId))).doesNotExist();
        assertThat(paths("caches/" + ghost + "/")).isEmpty();
        assertThat(paths("sources/" + ghost + "/")).isEmpty();
        // the live app keeps its repository, cache and sources
        assertThat(repositories().resolve(Leftovers.repository(app, id))).isDirectory();
        assertThat(paths("caches/" + app + "/")).containsExactly(Leftovers.cache(app, id));
        assertThat(paths("sources/" + app + "/")).hasSize(1);
    }

    private static Path repositories() {
        return work.resolve("receiver").resolve("repos");
    }

    private static List<String> paths(String prefix) {
        return blobs.list(prefix).stream().map(StoredBlob::path).toList();
    }

    @Test
    void pushesThatCannotDeployAreRefusedWithAClearMessage() throws Exception {
        String app = newApp("refused");
        Path repo = repository("procfile");

        Push stranger = push(repo, app, strangerKey);
        assertThat(stranger.exitCode()).isNotZero();
        assertThat(stranger.output()).contains("Permission denied (publickey)");

        Push missing = push(repo, "no-such-app", userKey);
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.output()).contains("app 'no-such-app' does not exist", "pier create no-such-app");

        Push branch = push(repo, app, userKey, "main:feature");
        assertThat(branch.exitCode()).isNotZero();
        assertThat(branch.output()).contains("only main or master deploy");

        Push badName = push(repo, "Bad_Name", userKey);
        assertThat(badName.exitCode()).isNotZero();
        assertThat(badName.output()).contains("Bad_Name");

        assertThat(controller.releases(app)).as("nothing was released").isEmpty();
    }
}
