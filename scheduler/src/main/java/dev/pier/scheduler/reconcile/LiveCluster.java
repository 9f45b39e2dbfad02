package dev.pier.scheduler.reconcile;

import dev.pier.api.Artifact;
import dev.pier.api.Deployment;
import dev.pier.api.DeploymentUpdate;
import dev.pier.api.Formation;
import dev.pier.api.JobReport;
import dev.pier.api.JobState;
import dev.pier.api.Release;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import dev.pier.api.http.JsonHttpClient;
import dev.pier.api.http.PierApiException;
import dev.pier.api.router.RouterAnswer;
import dev.pier.api.router.Routers;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The real world behind {@link ClusterPort}: the controller, the host leader found through discoverd
 * (service {@code pier-host-leader}), and each host agent. Releases and artifacts are immutable, so cached.
 */
public final class LiveCluster implements ClusterPort {
    public static final String HOST_LEADER_SERVICE = "pier-host-leader";
    /**
     * How long a removal of an ended job waits for its host. Removals are housekeeping that the next pass retries;
     * they ran at the end of a pass, which the next pass waits for (now apart from it, {@link Reconciler}, and one
     * at a time, so a dead host holds the others back): with the starts' and stops' 30 s, a host cut
     * off during a pass held that pass for 30 s while the host leader had declared it lost after 6, and its jobs ran
     * elsewhere 37 s after the cut (bench/chaos, partition-3). On a host that answers, a removal takes well under a
     * second.
     */
    static final Duration REMOVAL_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long a read of the cluster view from the host leader, or of one job from its host, waits. The leader
     * answers from memory and a host from its table, in milliseconds; with the starts' 30 s, the pass that asked
     * the host leader for its view as the leader's machine lost its power waited 30 s for a machine that would
     * never answer, while a new leader was elected 4 s after the loss and had declared the machine lost 1 s later;
     * its jobs were started elsewhere 35 s after the loss and up after 40 (bench/chaos, kill-machine-2,
     * 2026-12-07). A read that fails fails the pass, and the next pass asks whoever leads then.
     */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long a pass waits for a read of the leader's view at most: a backstop. The read ends by itself within
     * {@link #READ_TIMEOUT} and the client's {@link JsonHttpClient#WHOLE_ANSWER_GRACE} (a leader whose machine lost
     * its power while it sent its view's body left the pass waiting for the rest without end before every client
     * bounded the whole answer: bench/chaos, kill-host-leader, 2026-12-08 02:40; {@code SilentHost.answeringHalf}).
     */
    static final Duration VIEW_BACKSTOP = READ_TIMEOUT.plus(JsonHttpClient.WHOLE_ANSWER_GRACE.multipliedBy(3));

    private final ControllerClient controller;
    private final DiscoverdClient discoverd;
    private final String clusterKey;
    /** One client per host and timeout ("30 s http://…"): the reads and the removals share theirs. */
    private final Map<String, HostAgentClient> agents = new ConcurrentHashMap<>();
    private final Map<UUID, Release> releases = new ConcurrentHashMap<>();
    private final Map<UUID, Artifact> artifacts = new ConcurrentHashMap<>();
    private final Routers routers;
    private final HeldFence fence;
    private final HostLeaderSuccession succession;
    /** Where the reads of the leader's view run, so that a pass can stop waiting for one (a daemon each). */
    private final ExecutorService viewReads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "pier-scheduler-view-read");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * With {@code fence}, the fence every start, stop and removal carries to its host agent ({@code controller} sends
     * it with its writes too); a refusal of it, by an agent or the controller, is thrown as {@link FencedOut}.
     */
    public LiveCluster(ControllerClient controller, DiscoverdClient discoverd, String clusterKey, HeldFence fence) {
        this(controller, discoverd, clusterKey, fence, HostLeaderSuccession.NONE);
    }

    /**
     * With {@code succession}, a read of the host leader's view stops waiting as soon as discovery names another
     * leader: the pass fails at once and the next asks the new one.
     */
    public LiveCluster(ControllerClient controller, DiscoverdClient discoverd, String clusterKey, HeldFence fence,
                       HostLeaderSuccession succession) {
        this.succession = succession;
        this.fence = fence;
        this.controller = controller;
        this.discoverd = discoverd;
        this.clusterKey = clusterKey;
        this.routers = new Routers(discoverd, clusterKey);
    }

    /** The URL of an instance: its {@code url} metadata, or http:// and its address. */
    static String urlOf(Instance instance) {
        String url = instance.meta().get("url");
        return url != null ? url : "http://" + instance.address();
    }

    @Override
    public ClusterView cluster() {
        Instance leader = discoverd.leader(HOST_LEADER_SERVICE).leader();
        if (leader == null) {
            throw new PierApiException(503, "Service Unavailable", "no host leader is elected (is any host agent running?)", null);
        }
        return viewFrom(leader.id(), urlOf(leader));
    }

    /**
     * The cluster view of host leader {@code leaderId} at {@code leaderUrl}, waiting until it answers,
     * {@link #READ_TIMEOUT} passes, or discovery names another leader, whichever comes first. A pass that asked the
     * leader for its view as the leader's machine lost its power waited the whole 5 s while a new leader was elected
     * 3 s after the loss (MachinesTest in CI, 2026-12-08): the dead machine's jobs were started elsewhere 1.6 s after
     * the new leader had declared it lost.
     */
    ClusterView viewFrom(String leaderId, String leaderUrl) {
        CompletableFuture<Void> succeeded = succession.after(leaderId);
        CompletableFuture<ClusterView> read = CompletableFuture.supplyAsync(() -> viewFrom(leaderUrl), viewReads);
        try {
            CompletableFuture.anyOf(read, succeeded).get(VIEW_BACKSTOP.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
            // the read failed: thrown below
        } catch (java.util.concurrent.TimeoutException e) {
            // left to its thread, which its own deadline ends
            throw new PierApiException(503, "Service Unavailable", "the view of " + leaderId + " at " + leaderUrl
                    + " did not arrive whole within " + READ_TIMEOUT.toSeconds() + " s", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the scheduler stops
            read.cancel(true);
            throw new PierApiException("interrupted while waiting for the view of " + leaderId, e);
        } finally {
            succeeded.cancel(false);
        }
        if (!read.isDone()) {
            throw new PierApiException(503, "Service Unavailable", "discovery named another host leader while this"
                    + " scheduler waited for the view of " + leaderId + " at " + leaderUrl, null);
        }
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The cluster view of the host leader at {@code leaderUrl}, waiting {@link #READ_TIMEOUT} at most. */
    ClusterView viewFrom(String leaderUrl) {
        return agent(leaderUrl, READ_TIMEOUT).cluster();
    }

    @Override
    public List<Formation> formations() {
        return controller.allFormations();
    }

    @Override
    public Release release(String app, UUID releaseId) {
        return releases.computeIfAbsent(releaseId, id -> controller.release(app, id));
    }

    @Override
    public Artifact artifact(UUID artifactId) {
        return artifacts.computeIfAbsent(artifactId, controller::artifact);
    }

    @Override
    public HostJob start(String hostUrl, JobSpec spec) {
        try {
            return agent(hostUrl).start(spec, fence.current());
        } catch (PierApiException e) {
            throw fencedOr(e);
        }
    }

    @Override
    public void stop(String hostUrl, String jobId) {
        try {
            agent(hostUrl).stop(jobId, fence.current());
        } catch (PierApiException e) {
            throw fencedOr(e);
        }
    }

    /** A refusal of this scheduler's fence as {@link FencedOut}, any other failure as it was. */
    private static RuntimeException fencedOr(PierApiException e) {
        return dev.pier.api.discoverd.Fencing.isRefusal(e) ? new FencedOut(e.getMessage()) : e;
    }

    @Override
    public java.util.Optional<HostJob> hostJob(String hostUrl, String jobId) {
        try {
            return java.util.Optional.of(agent(hostUrl, READ_TIMEOUT).job(jobId));
        } catch (PierApiException e) {
            if (e.isNotFound()) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void remove(String hostUrl, String jobId) {
        try {
            agent(hostUrl, REMOVAL_TIMEOUT).remove(jobId, fence.current());
        } catch (PierApiException e) {
            throw fencedOr(e);
        }
    }

    @Override
    public java.util.Set<String> liveApps() {
        return controller.apps().stream().map(dev.pier.api.App::name)
                .collect(java.util.stream.Collectors.toSet());
    }

    @Override
    public void report(String app, String jobId, JobReport report) {
        fence.current(); // a scheduler that knows it does not lead writes nothing
        try {
            controller.reportJob(app, jobId, report);
        } catch (PierApiException e) {
            throw fencedOr(e);
        }
    }

    @Override
    public List<dev.pier.api.Job> activeJobs() {
        return controller.allJobs(true);
    }

    @Override
    public JobState reportedState(String app, String jobId) {
        try {
            return controller.job(app, jobId).state();
        } catch (PierApiException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public List<Deployment> activeDeployments() {
        return controller.activeDeployments();
    }

    @Override
    public Deployment updateDeployment(UUID id, DeploymentUpdate update) {
        fence.current(); // a scheduler that knows it does not lead writes nothing
        try {
            return controller.updateDeployment(id, update);
        } catch (PierApiException e) {
            throw fencedOr(e);
        }
    }

    @Override
    public void scale(String app, UUID releaseId, Map<String, Integer> processes) {
        fence.current(); // a scheduler that knows it does not lead writes nothing
        try {
            controller.scale(app, releaseId, processes);
        } catch (PierApiException e) {
            throw fencedOr(e);
        }
    }

    @Override
    public Duration deployTimeout(String app) {
        return Duration.ofSeconds(controller.app(app).deployTimeout());
    }

    @Override
    public Set<String> domains(String app) {
        try {
            Set<String> domains = new TreeSet<>();
            controller.routes(app).forEach(route -> domains.add(route.domain()));
            return domains;
        } catch (PierApiException e) {
            if (e.isNotFound()) {
                return Set.of(); // the app is gone
            }
            throw e;
        }
    }

    @Override
    public List<RouterAnswer> routing(String service) {
        return routers.ask(service);
    }

    @Override
    public List<String> lastLines(String hostUrl, String jobId, int lines) {
        if (hostUrl == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try {
            agent(hostUrl).logs(jobId, lines, false, entry -> out.add(entry.text()));
        } catch (PierApiException e) {
            return List.of();
        }
        return out;
    }

    /** The client for starts, stops and logs: 30 s. */
    private HostAgentClient agent(String url) {
        return agent(url, Duration.ofSeconds(30));
    }

    private HostAgentClient agent(String url, Duration timeout) {
        return agents.computeIfAbsent(timeout.toSeconds() + " s " + url,
                key -> new HostAgentClient(URI.create(url), clusterKey, timeout));
    }
}
