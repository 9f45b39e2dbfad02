package dev.pier.scheduler.cluster;

import static org.awaitility.Awaitility.await;

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

/**
 * A Pier cluster on this machine, for the scheduler's integration test and its benchmark: etcd, discoverd, the
 * controller over PostgreSQL, the router, host agents on the Docker engine and schedulers, each a process of its
 * own (the scheduler from this module's classes, the others from their modules' built jars). Logs go to one
 * file per process under {@link #logs()}. Any process can be killed and started again as it was
 * ({@link #kill}, {@link #restart}), etcd included ({@link #etcd()}), for fault tests. {@link #shared()} is one
 * cluster that the test classes of this JVM share (booting one takes minutes on a loaded machine).
 */
final class LocalCluster implements AutoCloseable {
    static final String KEY = "scheduler-cluster-key";
    /** Many JVMs starting at once on two cores take a while: a deadline for start-up, not a speed check. */
    private static final Duration START_UP = Duration.ofMinutes(4);
    private static final Path TARGET = Path.of(System.getProperty("pier.root", "..")).toAbsolutePath().normalize();

    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private static LocalCluster shared;
    private final List<String> hostIds = new ArrayList<>();
    private final Duration schedulerInterval;
    private final String image;
    private final EtcdServer etcd;
    private final Path logs;
    private final String discoverdUrl;
    private final int routerPort;
    private ControllerClient controller;
    private DiscoverdClient discoverd;

    private LocalCluster(Duration schedulerInterval) throws IOException {
        this.schedulerInterval = schedulerInterval;
        this.image = DockerEngine.testImage();
        this.etcd = EtcdServer.start();
        this.logs = Files.createTempDirectory("pier-scheduler-cluster-");
        this.discoverdUrl = "http://127.0.0.1:" + FreePorts.next();
        this.routerPort = FreePorts.next();
    }

    /**
     * Starts a cluster of {@code hosts} host agents (2 GB each) and {@code schedulers} schedulers passing every
     * {@code schedulerInterval}, and waits until each service answers and leaders are elected.
     */
    static LocalCluster start(int hosts, int schedulers, Duration schedulerInterval) throws IOException {
        LocalCluster cluster = new LocalCluster(schedulerInterval);
        try {
            cluster.startAll(hosts, schedulers);
            return cluster;
        } catch (RuntimeException | IOException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * The cluster this JVM's test classes share: 3 host agents and 2 schedulers passing every second, started on
     * first use and closed when the JVM exits. A test that breaks a part of it puts it back before it ends.
     */
    static synchronized LocalCluster shared() throws IOException {
        if (shared == null) {
            LocalCluster cluster = start(3, 2, Duration.ofSeconds(1));
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "local-cluster-close"));
            shared = cluster;
        }
        return shared;
    }

    private void startAll(int hosts, int schedulers) throws IOException {
        int discoverdPort = URI.create(discoverdUrl).getPort();
        launch("discoverd", List.of("-jar", jar("discoverd", "pier-discoverd-exec.jar").toString(),
                "--server.port=" + discoverdPort, "--pier.cluster-key=" + KEY,
                "--pier.discoverd.etcd-endpoints=" + etcd.endpoint(), "--pier.discoverd.default-ttl=2s",
                "--pier.discoverd.key-prefix=/test-" + UUID.randomUUID().toString().substring(0, 8),
                "--logging.level.root=WARN", "--logging.level.dev.pier=INFO"));
        int controllerPort = FreePorts.next();
        launch("controller", List.of("-jar", jar("controller", "pier-controller-exec.jar").toString(),
                "--server.port=" + controllerPort, "--pier.cluster-key=" + KEY,
                "--spring.datasource.url=" + PostgresServer.shared().newDatabase(),
                "--spring.datasource.username=" + PostgresServer.USER, "--pier.controller.discoverd-url=" + discoverdUrl,
                "--logging.level.root=WARN"));
        controller = new ControllerClient(URI.create("http://127.0.0.1:" + controllerPort), KEY);
        discoverd = new DiscoverdClient(URI.create(discoverdUrl), KEY);
        launch("router", List.of("-jar", jar("router", "pier-router-exec.jar").toString(), "--pier.router.port=" + routerPort,
                "--pier.router.admin-port=" + FreePorts.next(), "--pier.router.tls-port=" + FreePorts.next(),
                "--pier.router.cluster-key=" + KEY, "--pier.router.controller-url=http://127.0.0.1:" + controllerPort,
                "--pier.router.discoverd-url=" + discoverdUrl, "--pier.router.route-poll=1s",
                "--logging.level.root=WARN", "--logging.level.dev.pier=INFO"));
        for (int i = 0; i < hosts; i++) {
            String hostId = "s" + UUID.randomUUID().toString().substring(0, 7);
            hostIds.add(hostId);
            startAgent(hostId);
        }
        for (int i = 0; i < schedulers; i++) {
            startScheduler("scheduler-" + (char) ('a' + i));
        }
        await().atMost(START_UP).ignoreExceptions().until(() -> controller.apps() != null);
        await().atMost(START_UP).ignoreExceptions().until(() -> discoverd.instances("pier-host").size() == hosts);
        if (schedulers > 0) {
            await().atMost(START_UP).ignoreExceptions().until(() -> discoverd.leader("pier-scheduler").leader() != null);
        }
        await().atMost(START_UP).ignoreExceptions().until(() -> discoverd.leader("pier-host-leader").leader() != null);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void launch(String name, List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx160m"));
        full.addAll(command);
        commands.put(name, full);
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile())).start();
        processes.put(name, process);
    }

    private static Path jar(String module, String name) {
        Path jar = TARGET.resolve(module).resolve("target").resolve(name);
        Requirements.require(Files.isRegularFile(jar), jar + " (built by mvn package before the scheduler)");
        return jar;
    }

    private void startAgent(String hostId) throws IOException {
        int base = 20000 + (FreePorts.next() % 400) * 100;
        launch(hostId, List.of("-jar", jar("host-agent", "pier-host-agent-exec.jar").toString(),
                "--server.port=" + FreePorts.next(), "--pier.cluster-key=" + KEY, "--pier.host-agent.host-id=" + hostId,
                "--pier.host-agent.port-range=" + base + "-" + (base + 49), "--pier.host-agent.total-memory-mb=2048",
                "--pier.host-agent.stop-grace=2s", "--pier.host-agent.drain=2s", "--pier.host-agent.health-interval=1s",
                "--pier.host-agent.discoverd-url=" + discoverdUrl, "--pier.host-agent.discoverd-ttl=2s",
                "--pier.host-agent.docker-host=" + DockerEngine.host(), "--logging.level.root=WARN",
                "--logging.level.dev.pier=INFO"));
    }

    private void startScheduler(String id) throws IOException {
        launch(id, List.of("-cp", System.getProperty("java.class.path"), SchedulerApplication.class.getName(),
                "--server.port=" + FreePorts.next(), "--pier.cluster-key=" + KEY, "--pier.scheduler.id=" + id,
                "--pier.scheduler.interval=" + schedulerInterval.toMillis() + "ms",
                "--pier.scheduler.job-memory-mb=64", "--pier.scheduler.ended-job-retention=30s",
                "--pier.scheduler.controller-url=" + controller.base(), "--pier.scheduler.discoverd-url=" + discoverdUrl,
                "--logging.level.root=WARN", "--logging.level.dev.pier=INFO"));
    }

    /** An app running the test image's web server (GREETING=v1), deployed and scaled to {@code web}. */
    dev.pier.api.Release deploy(String name, int web, String command) {
        dev.pier.api.Release release = release(name, command);
        dev.pier.api.Deployment first;
        try {
            first = dev.pier.api.controller.DeploymentWatch.await(controller,
                    controller.deploy(name, new dev.pier.api.NewDeployment(release.id(), null)), Duration.ofSeconds(90), d -> { });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted awaiting the first deploy of " + name, e);
        }
        if (first.status() != dev.pier.api.DeploymentStatus.COMPLETE) {
            throw new IllegalStateException("the first deploy of " + name + " is " + first.status() + ": " + first.error());
        }
        if (web != 1) {
            controller.scale(name, release.id(), Map.of("web", web));
        }
        return release;
    }

    /** A new app's first release of the test image running {@code command} as web (not deployed). */
    dev.pier.api.Release release(String name, String command) {
        dev.pier.api.App app = controller.createApp(dev.pier.api.NewApp.named(name));
        dev.pier.api.Artifact artifact = controller.createArtifact(new dev.pier.api.NewArtifact("docker", image, null,
                null, Map.of()));
        return controller.createRelease(app.name(), new dev.pier.api.NewRelease(artifact.id(),
                Map.of("GREETING", "v1"), Map.of("web", dev.pier.api.ProcessType.web(command)), Map.of(), "test"));
    }

    /** A new app's first release of the test image with these process types (not deployed). */
    dev.pier.api.Release release(String name, Map<String, dev.pier.api.ProcessType> processes) {
        dev.pier.api.App app = controller.createApp(dev.pier.api.NewApp.named(name));
        dev.pier.api.Artifact artifact = controller.createArtifact(new dev.pier.api.NewArtifact("docker", image, null,
                null, Map.of()));
        return controller.createRelease(app.name(), new dev.pier.api.NewRelease(artifact.id(), Map.of(), processes,
                Map.of(), "test"));
    }

    /** The app's jobs of that release that the controller holds as up. */
    List<dev.pier.api.Job> up(String app, UUID releaseId) {
        return controller.jobs(app, true).stream()
                .filter(j -> j.state() == dev.pier.api.JobState.UP && j.releaseId().equals(releaseId)).toList();
    }

    static Map<String, Long> perHost(List<dev.pier.api.Job> jobs) {
        return jobs.stream().collect(java.util.stream.Collectors.groupingBy(dev.pier.api.Job::hostId,
                java.util.stream.Collectors.counting()));
    }

    ControllerClient controller() {
        return controller;
    }

    DiscoverdClient discoverd() {
        return discoverd;
    }

    /** The router's HTTP port on 127.0.0.1. */
    int routerPort() {
        return routerPort;
    }

    List<String> hostIds() {
        return List.copyOf(hostIds);
    }

    /** The busybox test image every job of the tests runs. */
    String image() {
        return image;
    }

    Path logs() {
        return logs;
    }

    /** SIGKILLs the process named {@code name} (a host id, {@code scheduler-a}, ...) and waits for it to end. */
    void kill(String name) throws InterruptedException {
        processes.get(name).destroyForcibly().waitFor();
    }

    /** Starts the process named {@code name} again as it was first started (after {@link #kill}); its log goes on. */
    void restart(String name) throws IOException {
        if (processes.get(name).isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        Process process = new ProcessBuilder(commands.get(name)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile())).start();
        processes.put(name, process);
    }

    /** The schedulers' names ({@code scheduler-a}, ...). */
    List<String> schedulers() {
        return processes.keySet().stream().filter(n -> n.startsWith("scheduler-")).toList();
    }

    EtcdServer etcd() {
        return etcd;
    }

    @Override
    public void close() {
        processes.values().forEach(Process::destroyForcibly);
        for (Process process : processes.values()) {
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        hostIds.forEach(id -> DockerEngine.removeContainers("pier.host", id));
        hostIds.forEach(id -> DockerEngine.removeVolumes("pier.host", id));
        if (discoverd != null) {
            discoverd.close();
        }
        etcd.close();
        if (!Requirements.underCi()) {
            Command.run(Duration.ofSeconds(30), List.of("rm", "-rf", logs.toString()));
        }
    }
}
