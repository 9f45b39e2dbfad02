package dev.pier.scheduler.cluster;

import static org.awaitility.Awaitility.await;

import dev.pier.api.App;
import dev.pier.api.Artifact;
import dev.pier.api.Job;
import dev.pier.api.JobState;
import dev.pier.api.NewApp;
import dev.pier.api.NewArtifact;
import dev.pier.api.NewDeployment;
import dev.pier.api.NewRelease;
import dev.pier.api.ProcessType;
import dev.pier.api.Release;
import dev.pier.api.controller.ControllerClient;
import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The scheduler on the real one-machine cluster ({@link LocalCluster}: three host agents, two schedulers at
 * their default 3 s interval, the router): scale 0→20 against a shell loop of {@code docker run -d} of the same
 * containers, the time from a job's process being killed to its replacement, from a host agent's death to its
 * jobs running elsewhere, and from the scheduler leader's death to a scale being done. Times are taken by
 * polling the controller every 50 ms, so they carry up to 50 ms of that. Run by bench/scheduler/run; not a test.
 */
public final class ClusterBenchmark {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final int SCALE = 20;

    private final LocalCluster cluster;
    private final ControllerClient controller;

    private ClusterBenchmark(LocalCluster cluster) {
        this.cluster = cluster;
        this.controller = cluster.controller();
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        try (LocalCluster cluster = LocalCluster.start(3, 2, Duration.ofSeconds(3))) {
            new ClusterBenchmark(cluster).run(rounds);
        }
        System.exit(0);
    }

    private void run(int rounds) throws Exception {
        double[] pier = new double[rounds];
        double[] loop = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            pier[i] = scaleUp();
            loop[i] = dockerLoop();
        }
        double[] started = new double[rounds];
        double[] up = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            double[] restart = restart();
            started[i] = restart[0];
            up[i] = restart[1];
        }
        double[] failover = schedulerFailover();
        double hostLoss = hostLoss();

        System.out.println();
        System.out.printf("| %-62s | %-10s | %-28s |%n", "measure (" + rounds + " rounds; median, then all)", "median s",
                "rounds s");
        System.out.println("|----------------------------------------------------------------|------------|------------------------------|");
        row("pier scale web 0→" + SCALE + ": scale call → all " + SCALE + " up", pier);
        row("shell loop of " + SCALE + " `docker run -d` → all ports accept", loop);
        System.out.printf("| %-62s | %10.2f | %-28s |%n", "ratio pier / shell loop (medians)", median(pier) / median(loop), "");
        row("job's process SIGKILLed → replacement started", started);
        row("job's process SIGKILLed → replacement up", up);
        row("scheduler leader SIGKILLed → another leads", new double[] {failover[0]});
        row("then scale 1→2 → its new job up", new double[] {failover[1]});
        row("host agent and its containers killed → its jobs up elsewhere", new double[] {hostLoss});
    }

    private static void row(String name, double[] seconds) {
        String all = Arrays.stream(seconds).mapToObj(s -> String.format("%.2f", s)).collect(Collectors.joining(" "));
        System.out.printf("| %-62s | %10.2f | %-28s |%n", name, median(seconds), all);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** A new app running the test image's web server, deployed, with its web count settled at {@code web}. */
    private Release app(String name, int web) {
        App app = controller.createApp(NewApp.named(name));
        Artifact artifact = controller.createArtifact(new NewArtifact("docker", cluster.image(), null, null, Map.of()));
        Release release = controller.createRelease(app.name(), new NewRelease(artifact.id(), Map.of(),
                Map.of("web", ProcessType.web("exec httpd -f -p $PORT")), Map.of(), "bench"));
        controller.deploy(app.name(), new NewDeployment(release.id(), null));
        controller.scale(app.name(), release.id(), Map.of("web", web));
        await().atMost(WAIT).pollInterval(POLL).until(() -> jobs(name, j -> true).size() == web
                && jobs(name, j -> j.state() == JobState.UP).size() == web);
        return release;
    }

    private List<Job> jobs(String app, Predicate<Job> which) {
        return controller.jobs(app, true).stream().filter(which).toList();
    }

    private double scaleUp() throws InterruptedException {
        String name = "scale-" + UUID.randomUUID().toString().substring(0, 6);
        Release release = app(name, 0);
        long start = System.nanoTime();
        controller.scale(name, release.id(), Map.of("web", SCALE));
        await().atMost(WAIT).pollInterval(POLL).until(() -> jobs(name, j -> j.state() == JobState.UP).size() == SCALE);
        double seconds = since(start);
        System.out.printf("scale 0→%d: %.2f s%n", SCALE, seconds);
        controller.deleteApp(name);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> Command.check(Duration.ofSeconds(30), List.of("docker", "ps", "-q", "--filter",
                        "label=pier.app=" + name)).isBlank());
        return seconds;
    }

    /** The same containers by hand: {@code docker run -d} one after another, then wait until every port accepts. */
    private double dockerLoop() throws IOException {
        String runId = DockerEngine.newRunId();
        List<Integer> ports = new ArrayList<>();
        StringBuilder script = new StringBuilder("set -e\n");
        for (int i = 0; i < SCALE; i++) {
            int port = FreePorts.next();
            while (ports.contains(port)) {
                port = FreePorts.next(); // a port just handed out may come again: each container needs its own
            }
            ports.add(port);
            script.append("docker run -d --label ").append(DockerEngine.TEST_LABEL).append('=').append(runId)
                    .append(" -m 64m -e PORT=8080 -p 127.0.0.1:").append(port).append(":8080 ")
                    .append(cluster.image()).append(" sh -c 'exec httpd -f -p $PORT' >/dev/null\n");
        }
        try {
            long start = System.nanoTime();
            Command.check(Duration.ofMinutes(5), List.of("bash", "-c", script.toString()));
            for (int port : ports) {
                await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> accepts(port));
            }
            double seconds = since(start);
            System.out.printf("docker run loop of %d: %.2f s%n", SCALE, seconds);
            return seconds;
        } finally {
            DockerEngine.removeTestContainers(runId);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Seconds from a job's container being SIGKILLed to its replacement being started, then up. */
    private double[] restart() {
        String name = "crash-" + UUID.randomUUID().toString().substring(0, 6);
        app(name, 1);
        Job victim = jobs(name, j -> true).get(0);
        String container = Command.check(Duration.ofSeconds(30), List.of("docker", "ps", "-q", "--filter",
                "label=pier.job=" + victim.id())).strip();
        long start = System.nanoTime();
        Command.check(Duration.ofSeconds(30), List.of("docker", "kill", "--signal", "KILL", container));
        Predicate<Job> replacement = j -> !j.id().equals(victim.id());
        await().atMost(WAIT).pollInterval(POLL).until(() -> !jobs(name, replacement).isEmpty());
        double started = since(start);
        await().atMost(WAIT).pollInterval(POLL).until(() -> jobs(name, replacement.and(j -> j.state() == JobState.UP))
                .size() == 1);
        double up = since(start);
        System.out.printf("restart: started after %.2f s, up after %.2f s%n", started, up);
        controller.deleteApp(name);
        return new double[] {started, up};
    }

    /** Seconds from the leader's death to another scheduler leading, then from a scale issued then to its job up. */
    private double[] schedulerFailover() throws InterruptedException {
        String name = "leader-" + UUID.randomUUID().toString().substring(0, 6);
        Release release = app(name, 1);
        String leader = cluster.discoverd().leader("pier-scheduler").leader().id();
        long start = System.nanoTime();
        cluster.kill(leader);
        await().atMost(WAIT).pollInterval(POLL).ignoreExceptions().until(() -> {
            var now = cluster.discoverd().leader("pier-scheduler").leader();
            return now != null && !now.id().equals(leader);
        });
        double takeover = since(start);
        long scaled = System.nanoTime();
        controller.scale(name, release.id(), Map.of("web", 2));
        await().atMost(WAIT).pollInterval(POLL).until(() -> jobs(name, j -> j.state() == JobState.UP).size() == 2);
        double done = since(scaled);
        System.out.printf("scheduler failover: new leader %.2f s after the old one died; scale done %.2f s later%n",
                takeover, done);
        return new double[] {takeover, done};
    }

    private double hostLoss() throws InterruptedException {
        String name = "lost-" + UUID.randomUUID().toString().substring(0, 6);
        app(name, 3);
        String lost = jobs(name, j -> true).get(0).hostId();
        Set<String> before = jobs(name, j -> true).stream().map(Job::id).collect(Collectors.toSet());
        long start = System.nanoTime();
        cluster.kill(lost);
        DockerEngine.removeContainers("pier.host", lost);
        await().atMost(WAIT).pollInterval(POLL).until(() -> {
            List<Job> up = jobs(name, j -> j.state() == JobState.UP && !j.hostId().equals(lost));
            return up.size() == 3;
        });
        double seconds = since(start);
        long moved = jobs(name, j -> !before.contains(j.id())).size();
        System.out.printf("host loss: %d jobs up elsewhere %.2f s after host %s died%n", moved, seconds, lost);
        return seconds;
    }
}
