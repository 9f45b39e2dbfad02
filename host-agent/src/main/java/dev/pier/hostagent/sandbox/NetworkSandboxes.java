package dev.pier.hostagent.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.pier.api.ProcessType;
import dev.pier.hostagent.runtime.ContainerRuntime;
import dev.pier.hostagent.runtime.DockerContainerRuntime;
import dev.pier.hostagent.runtime.PortReservations;
import dev.pier.hostagent.runtime.Sandboxes;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's pool of network sandboxes on the Docker engine: started containers ({@code sleep} for 68 years, a small
 * memory limit, the host alias every job gets) that each hold a network namespace. A job without a port (a build)
 * has its container join an idle one ({@code --network container:SANDBOX}) instead of waiting for Docker to make a
 * namespace and a veth pair, which is most of a container's start on these machines. Each sandbox serves one job:
 * it is removed with that job's container, and a new one takes its place in the background.
 *
 * <p>A second pool ({@code web-size}) holds sandboxes for web jobs: each publishes the web port
 * ({@link ProcessType#DEFAULT_WEB_PORT}) on a port of the agent's range, reserved for it in the job table
 * ({@link PortReservations}), so a web job's container joins a network whose port is published already and gets
 * that host port ({@link #claimPublishing}); an idle one's port goes back to the range when it is removed.
 *
 * <p>Sandboxes carry the host's label ({@code pier.host}) and their own name in {@code pier.sandbox}, and no job
 * label, so the runtime's job listing and events never show them; a job's container carries the name of the
 * sandbox it joined in {@code pier.sandbox}. On open, every sandbox that no job's container joined is removed (an
 * agent that stopped left it); on close, the idle ones are removed; every {@code interval}, dead idle ones and
 * strays are removed and the pool filled again ({@link SandboxSweep}).
 */
public final class NetworkSandboxes implements Sandboxes, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkSandboxes.class);
    /** On a sandbox: its own container name; on a job's container: the sandbox it joined. */
    public static final String LABEL_SANDBOX = "pier.sandbox";
    /** On a sandbox that publishes a port: {@code HOSTPORT:CONTAINERPORT}. */
    public static final String LABEL_PUBLISHES = "pier.sandbox.publishes";
    /** How long a claimed sandbox may go unjoined before a sweep counts it as stray. */
    static final Duration CLAIM_GRACE = Duration.ofMinutes(1);

    private final DockerClient docker;
    private final String hostId;
    private final SandboxProperties properties;
    private final Clock clock;
    private final String bindAddress;
    private final Deque<String> idle = new ArrayDeque<>();
    /** Idle sandboxes that publish the web port, oldest first, with the host port each publishes. */
    private final Deque<Published> idleWeb = new ArrayDeque<>();
    private final Map<String, Instant> claimed = new HashMap<>();
    private volatile PortReservations ports;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "pier-sandboxes");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;
    private volatile String lastFailure;

    public NetworkSandboxes(DockerClient docker, String hostId, SandboxProperties properties, Clock clock) {
        this(docker, hostId, "127.0.0.1", properties, clock);
    }

    /** {@code bindAddress}: where sandboxes for web jobs publish their port (the agent's bind address). */
    public NetworkSandboxes(DockerClient docker, String hostId, String bindAddress, SandboxProperties properties,
                            Clock clock) {
        this.docker = docker;
        this.hostId = hostId;
        this.bindAddress = bindAddress;
        this.properties = properties;
        this.clock = clock;
    }

    /** Where ports for web jobs' sandboxes come from; until this is called, the pool makes no such sandbox. */
    @Override
    public void publishWith(PortReservations reservations) {
        this.ports = reservations;
        refillSoon();
    }

    /** Removes what an earlier agent left, fills the pool (in the background), and checks it every interval. */
    public NetworkSandboxes open() {
        long every = properties.interval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, 0, every, TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public Optional<String> claim() {
        return claimFrom(idle, name -> name, this::release);
    }

    @Override
    public Optional<Published> claimPublishing(int containerPort) {
        if (containerPort != ProcessType.DEFAULT_WEB_PORT) {
            return Optional.empty();
        }
        // claimed, its port is the job's: the job table's admission gives it to the job
        return claimFrom(idleWeb, Published::name, dead -> {
            release(dead.name());
            freePort(dead);
        });
    }

    /**
     * The oldest idle sandbox of {@code pool} that still runs, now claimed; a dead one is handed to {@code dead} and
     * the next one tried; empty when none is ready (a refill is asked for either way).
     */
    private <T> Optional<T> claimFrom(Deque<T> pool, Function<T, String> nameOf, Consumer<T> dead) {
        while (true) {
            T sandbox;
            synchronized (this) {
                if (closed) {
                    return Optional.empty();
                }
                sandbox = pool.pollFirst();
                if (sandbox == null) {
                    refillSoon();
                    return Optional.empty();
                }
                claimed.put(nameOf.apply(sandbox), clock.instant());
            }
            String name = nameOf.apply(sandbox);
            if (running(name)) {
                LOG.debug("event=sandbox.claimed host={} sandbox={}", hostId, name);
                refillSoon();
                return Optional.of(sandbox);
            }
            LOG.info("event=sandbox.dead host={} sandbox={}", hostId, name);
            dead.accept(sandbox);
        }
    }

    /** The idle sandboxes for web jobs, oldest first. */
    public synchronized List<Published> idleWeb() {
        return List.copyOf(idleWeb);
    }

    private void freePort(Published sandbox) {
        PortReservations reservations = ports;
        if (reservations != null) {
            reservations.free(sandbox.hostPort());
        }
    }

    @Override
    public void release(String container) {
        synchronized (this) {
            claimed.remove(container);
            idle.remove(container);
        }
        remove(container);
    }

    /** The idle sandboxes, oldest first. */
    public synchronized List<String> idle() {
        return List.copyOf(idle);
    }

    /** One pass now (the pool also runs one every interval). */
    public void sweep() {
        Observed observed = observe();
        SandboxSweep.Plan plan;
        SandboxSweep.Plan webPlan;
        List<Published> webRemoved = new ArrayList<>();
        int webSize = ports == null ? 0 : properties.webSize();
        synchronized (this) {
            Instant now = clock.instant();
            plan = SandboxSweep.decide(observed.seen(), observed.joined(), new HashSet<>(idle), Map.copyOf(claimed),
                    properties.size(), now, CLAIM_GRACE);
            Set<String> idleWebNames = new HashSet<>();
            idleWeb.forEach(p -> idleWebNames.add(p.name()));
            webPlan = SandboxSweep.decide(observed.seenWeb(), observed.joined(), idleWebNames, Map.copyOf(claimed),
                    webSize, now, CLAIM_GRACE);
            idle.retainAll(plan.idle());
            for (Iterator<Published> it = idleWeb.iterator(); it.hasNext(); ) {
                Published p = it.next();
                if (!webPlan.idle().contains(p.name())) {
                    it.remove();
                    webRemoved.add(p); // its port was reserved for it and taken by no job: back to the range
                }
            }
            claimed.keySet().removeIf(observed.joined()::contains); // joined: in use now, kept while its job's container is
            plan.remove().forEach(claimed::remove);
            webPlan.remove().forEach(claimed::remove);
        }
        List<String> unused = new ArrayList<>(plan.remove());
        unused.addAll(webPlan.remove());
        for (String name : unused) {
            LOG.info("event=sandbox.removed host={} sandbox={} reason=unused", hostId, name);
            remove(name);
        }
        webRemoved.forEach(this::freePort);
        for (int i = 0; i < plan.create() && !closed; i++) {
            String name = create(null);
            if (name == null) {
                break;
            }
            synchronized (this) {
                if (closed) {
                    remove(name);
                    return;
                }
                idle.addLast(name);
            }
        }
        for (int i = 0; i < webPlan.create() && !closed; i++) {
            PortReservations reservations = ports;
            Optional<Integer> port = reservations == null ? Optional.empty() : reservations.reserve();
            if (port.isEmpty()) {
                break; // the range is full: web jobs publish their own ports meanwhile
            }
            String name = create(port.get());
            if (name == null) {
                reservations.free(port.get());
                break;
            }
            synchronized (this) {
                if (closed) {
                    remove(name);
                    reservations.free(port.get());
                    return;
                }
                idleWeb.addLast(new Published(name, port.get()));
            }
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            failed("the sandbox pool could not be checked: " + e.getMessage());
        }
    }

    private void refillSoon() {
        try {
            if (!closed) {
                sweeper.execute(this::sweepQuietly);
            }
        } catch (RejectedExecutionException e) {
            // closed meanwhile: nothing to refill
        }
    }

    /**
     * Creates and starts one sandbox, publishing the web port on {@code hostPort} of the bind address when given; null
     * (logged once per distinct cause) when the engine refuses.
     */
    private String create(Integer hostPort) {
        String name = "pier-" + hostId + "-sandbox-" + UUID.randomUUID().toString().substring(0, 8);
        long memory = properties.memoryMb() * 1024L * 1024L;
        HostConfig host = HostConfig.newHostConfig()
                .withExtraHosts(DockerContainerRuntime.HOST_ALIAS + ":host-gateway")
                .withMemory(memory).withMemorySwap(memory);
        Map<String, String> labels = new HashMap<>(Map.of(ContainerRuntime.LABEL_HOST, hostId, LABEL_SANDBOX, name));
        try (CreateContainerCmd create = docker.createContainerCmd(properties.image())) {
            if (hostPort != null) {
                ExposedPort web = ExposedPort.tcp(ProcessType.DEFAULT_WEB_PORT);
                host.withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort(bindAddress, hostPort), web));
                create.withExposedPorts(web);
                labels.put(LABEL_PUBLISHES, hostPort + ":" + ProcessType.DEFAULT_WEB_PORT);
            }
            create.withName(name).withEntrypoint("/bin/sleep").withCmd("2147483647")
                    .withLabels(labels)
                    .withHostConfig(host).exec();
            docker.startContainerCmd(name).exec();
        } catch (NotFoundException e) {
            remove(name);
            failed("image '" + properties.image() + "' (pier.host-agent.sandboxes.image) is not on this host");
            return null;
        } catch (DockerException e) {
            remove(name);
            failed("cannot start a sandbox: " + e.getMessage());
            return null;
        }
        lastFailure = null;
        LOG.info("event=sandbox.created host={} sandbox={}{}", hostId, name, hostPort == null ? "" : " port=" + hostPort);
        return name;
    }

    private void failed(String why) {
        if (!why.equals(lastFailure)) {
            LOG.warn("event=sandbox.failed host={} reason=\"{}\" (jobs start with networks of their own meanwhile)",
                    hostId, why);
            lastFailure = why;
        }
    }

    private boolean running(String name) {
        try {
            InspectContainerResponse response = docker.inspectContainerCmd(name).exec();
            return Boolean.TRUE.equals(response.getState().getRunning());
        } catch (NotFoundException e) {
            return false;
        }
    }

    private void remove(String name) {
        try {
            docker.removeContainerCmd(name).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (DockerException e) {
            LOG.warn("event=sandbox.remove-failed host={} sandbox={} reason=\"{}\"", hostId, name, e.getMessage());
        }
    }

    /** Stops checking and leaves every sandbox where it is, as an agent killed with SIGKILL does (for tests). */
    void abandon() {
        synchronized (this) {
            closed = true;
            idle.clear();
            idleWeb.clear();
        }
        sweeper.shutdownNow();
    }

    /** Stops checking and removes the idle sandboxes; the ones that jobs joined stay with their jobs. */
    @Override
    public void close() {
        List<String> left;
        List<Published> leftWeb;
        synchronized (this) {
            closed = true;
            left = new ArrayList<>(new LinkedHashSet<>(idle));
            leftWeb = new ArrayList<>(idleWeb);
            idle.clear();
            idleWeb.clear();
        }
        sweeper.shutdownNow();
        try {
            sweeper.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        left.forEach(this::remove);
        leftWeb.forEach(sandbox -> {
            remove(sandbox.name());
            freePort(sandbox);
        });
        // a sweep cut short may have made one after the list above
        sweepLeftovers();
    }

    /** Removes this host's sandboxes that no job's container joined (on close, after the sweeper stopped). */
    private void sweepLeftovers() {
        try {
            Observed observed = observe();
            Map<String, Instant> claimedNow;
            synchronized (this) {
                claimedNow = Map.copyOf(claimed);
            }
            List<SandboxSweep.Seen> every = new ArrayList<>(observed.seen());
            every.addAll(observed.seenWeb());
            SandboxSweep.decide(every, observed.joined(), Set.of(), claimedNow, 0, clock.instant(),
                    CLAIM_GRACE).remove().forEach(this::remove);
        } catch (RuntimeException e) {
            LOG.warn("event=sandbox.close-failed host={} reason=\"{}\"", hostId, e.getMessage());
        }
    }

    /** The host's sandboxes (those that publish a port apart), and the ones a job's container (any state) joined. */
    private record Observed(List<SandboxSweep.Seen> seen, List<SandboxSweep.Seen> seenWeb, Set<String> joined) {
    }

    private Observed observe() {
        List<SandboxSweep.Seen> seen = new ArrayList<>();
        List<SandboxSweep.Seen> seenWeb = new ArrayList<>();
        Set<String> joined = new HashSet<>();
        for (Container container : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerRuntime.LABEL_HOST, hostId)).exec()) {
            Map<String, String> labels = container.getLabels() == null ? Map.of() : container.getLabels();
            String sandbox = labels.get(LABEL_SANDBOX);
            if (sandbox == null) {
                continue;
            }
            if (labels.containsKey(ContainerRuntime.LABEL_JOB)) {
                joined.add(sandbox);
            } else {
                (labels.containsKey(LABEL_PUBLISHES) ? seenWeb : seen)
                        .add(new SandboxSweep.Seen(sandbox, "running".equals(container.getState())));
            }
        }
        return new Observed(seen, seenWeb, joined);
    }
}
