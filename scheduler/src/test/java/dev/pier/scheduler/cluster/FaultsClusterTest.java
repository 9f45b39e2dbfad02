package dev.pier.scheduler.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.Job;
import dev.pier.api.JobState;
import dev.pier.api.Release;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.HostJob;
import dev.pier.testkit.Command;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults on the shared {@link LocalCluster}, each a regression test of issue #17 named after its symptom: etcd
 * and discoverd outages, a scheduler taking over, a lost host coming back. After each fault the controller's job
 * list, the host leader's view and the Docker engine agree, and the formation is met exactly. Each test puts
 * back what it broke.
 */
class FaultsClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** How long a recovered cluster is watched for a job wrongly ended or started: many 1 s passes. */
    private static final Duration WATCH = Duration.ofSeconds(12);

    /** A web process that answers 200 with $GREETING. */
    private static final String SERVE = "mkdir -p /tmp/www && echo \"$GREETING\" > /tmp/www/index.html"
            + " && exec httpd -f -p $PORT -h /tmp/www";

    private static LocalCluster cluster;
    private static ControllerClient controller;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalCluster.shared();
        controller = cluster.controller();
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static Set<String> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every job the controller ever had for the app, ended ones included. */
    private static Set<String> everJobs(String app) {
        return ids(controller.jobs(app, false));
    }

    private static ClusterView view() {
        Instance leader = cluster.discoverd().leader("pier-host-leader").leader();
        return new HostAgentClient(URI.create(leader.meta().get("url")), LocalCluster.KEY).cluster();
    }

    /** The app's pending, starting or up jobs on the hosts the leader's view holds live. */
    private static Set<String> inView(String app) {
        return view().hosts().stream().filter(h -> !h.lost()).flatMap(h -> h.jobs().stream())
                .filter(j -> app.equals(j.app()) && j.state().isActive()).map(HostJob::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The jobs whose containers the Docker engine runs for the app. */
    private static Set<String> running(String app) {
        String out = Command.check(Duration.ofSeconds(30), List.of("docker", "ps", "--filter", "label=pier.app=" + app,
                "--filter", "status=running", "--format", "{{.Label \"pier.job\"}}"));
        return out.lines().map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every container of the app, running or not. */
    private static List<String> containers(String app) {
        return Command.check(Duration.ofSeconds(30), List.of("docker", "ps", "-a", "-q", "--filter",
                "label=pier.app=" + app)).lines().filter(l -> !l.isBlank()).toList();
    }

    /** The controller, the host leader's view and the Docker engine agree on {@code count} up jobs of the app. */
    private static boolean agree(String app, int count) {
        List<Job> active = controller.jobs(app, true);
        Set<String> held = ids(active);
        return held.size() == count && active.stream().allMatch(j -> j.state() == JobState.UP)
                && held.equals(inView(app)) && held.equals(running(app));
    }

    private static Set<String> webOfThree(String app) {
        Release v1 = cluster.deploy(app, 3, SERVE);
        await().atMost(WAIT).ignoreExceptions().until(() -> agree(app, 3));
        assertThat(LocalCluster.perHost(cluster.up(app, v1.id())).values()).containsOnly(1L);
        return ids(controller.jobs(app, true));
    }

    /** After recovery: for a while, the app has exactly its jobs of before, all up, and never another. */
    private static void keepsExactly(String app, Set<String> jobs) {
        await().during(WATCH).atMost(WATCH.plus(WAIT)).ignoreExceptions().until(() -> everJobs(app).equals(jobs)
                && ids(cluster.up(app, controller.jobs(app, true).get(0).releaseId())).equals(jobs));
        await().atMost(WAIT).ignoreExceptions().until(() -> agree(app, jobs.size()));
    }

    /** Regression (#17, 1): after etcd was down 5 s the scheduler ended the running jobs and started others. */
    @Test
    void anEtcdOutageLosesNoJobStateAndStartsNoExtraJob() {
        String app = name("etcd");
        Set<String> before = webOfThree(app);

        cluster.etcd().kill();
        try {
            await().during(Duration.ofSeconds(5)).atMost(WAIT).until(() -> ids(controller.jobs(app, true)).equals(before));
        } finally {
            cluster.etcd().restart();
        }

        keepsExactly(app, before);
    }

    /**
     * Regression (#17, 2): a host leader elected after discoverd came back declared the other hosts lost at once,
     * their jobs were replaced, and a job that kept running stayed "crashed" for good.
     */
    @Test
    void aDiscoverdOutageLongerThanTheLeasesLosesNoHostAndNoJob() throws Exception {
        String app = name("disc");
        Set<String> before = webOfThree(app);

        cluster.kill("discoverd");
        try {
            // every registration's lease (2 s) expires meanwhile
            await().during(Duration.ofSeconds(8)).atMost(WAIT).until(() -> ids(controller.jobs(app, true)).equals(before));
        } finally {
            cluster.restart("discoverd");
        }

        keepsExactly(app, before);
        assertThat(view().hosts()).as("no host was lost").noneMatch(ClusterView.Host::lost);
    }

    /** Regression (#17, 3): when etcd came back without the registrations, the router answered 503 for a while. */
    @Test
    void theRouterKeepsServingWhenEtcdComesBackWithoutTheRegistrations() throws Exception {
        String app = name("wipe");
        Set<String> before = webOfThree(app);
        String domain = app + ".pier.localhost";
        await().atMost(WAIT).ignoreExceptions().until(() -> RouterTraffic.get(cluster.routerPort(), domain).status()
                == 200);

        try (RouterTraffic traffic = new RouterTraffic(cluster.routerPort(), domain, 4, 20_000, Duration.ofMinutes(3))) {
            cluster.etcd().kill();
            cluster.etcd().wipe();
            cluster.etcd().restart();
            await().atMost(WAIT).ignoreExceptions().until(() -> cluster.discoverd().instances(app + "-web").size() == 3
                    && cluster.discoverd().instances("pier-host").size() == 3);
            await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> traffic.succeeded() > 0);
            traffic.close();
            assertThat(traffic.failures()).as("failed requests while etcd came back empty").isEmpty();
            assertThat(traffic.succeeded()).isGreaterThan(50);
        }
        keepsExactly(app, before);
    }

    /**
     * Regression (#17, 4): a scheduler that took over counted long-dead containers as fresh crashes (back-off
     * raised, first start delayed), and exited containers were never removed, not even after the app's deletion.
     */
    @Test
    void aSchedulerThatTakesOverCountsNoOldExitAsACrashAndADeletedAppLeavesNoContainer() throws Exception {
        String app = name("exits");
        // a release that never comes up cannot be deployed (its deployment fails): run its formation directly
        Release v1 = cluster.release(app, "echo crashing; exit 1");
        controller.scale(app, v1.id(), Map.of("web", 1));
        await().atMost(WAIT).until(() -> controller.jobs(app, false).stream()
                .filter(j -> j.state() == JobState.CRASHED).count() >= 3);
        controller.scale(app, v1.id(), Map.of("web", 0));
        await().atMost(WAIT).until(() -> controller.jobs(app, true).isEmpty());
        assertThat(containers(app)).as("the crashed jobs' containers, kept for their logs").hasSizeGreaterThanOrEqualTo(3);

        String leader = cluster.discoverd().leader("pier-scheduler").leader().id();
        cluster.kill(leader);
        try {
            await().atMost(WAIT).ignoreExceptions().until(() -> {
                Instance now = cluster.discoverd().leader("pier-scheduler").leader();
                return now != null && !now.id().equals(leader);
            });
            Set<String> old = everJobs(app);
            controller.scale(app, v1.id(), Map.of("web", 1));
            Job first = await().atMost(WAIT).until(() -> controller.jobs(app, false).stream()
                    .filter(j -> !old.contains(j.id())).findFirst(), java.util.Optional::isPresent).orElseThrow();
            assertThat(first.restarts()).as("the old exits were not counted again").isZero();
        } finally {
            cluster.restart(leader);
        }

        controller.deleteApp(app);
        await().atMost(WAIT).until(() -> containers(app).isEmpty());
    }

    /**
     * Regression (#17, 2 and 8): a lost host that came back with its jobs still running kept them running beside
     * their replacements (the controller holding them crashed), and got no share of the jobs back.
     */
    @Test
    void aLostHostThatComesBackWithItsContainersHasItsOldJobsStoppedAndGetsItsShareBack() throws Exception {
        String app = name("back");
        Set<String> before = webOfThree(app);
        Job victim = controller.jobs(app, true).get(0);
        String host = victim.hostId();

        cluster.kill(host); // its containers keep running
        try {
            await().atMost(WAIT).until(() -> controller.job(app, victim.id()).state() == JobState.CRASHED);
            await().atMost(WAIT).until(() -> controller.jobs(app, true).stream()
                    .filter(j -> j.state() == JobState.UP && !j.hostId().equals(host)).count() == 3);
        } finally {
            cluster.restart(host);
        }

        await().atMost(WAIT).ignoreExceptions().until(() -> agree(app, 3)
                && LocalCluster.perHost(controller.jobs(app, true)).size() == 3);
        assertThat(running(app)).as("the old job on the returned host was stopped").doesNotContain(victim.id());
        assertThat(controller.job(app, victim.id()).state()).isEqualTo(JobState.CRASHED);
        assertThat(before).contains(victim.id());
    }
}
