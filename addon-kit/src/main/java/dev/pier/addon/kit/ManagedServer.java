package dev.pier.addon.kit;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Instance;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server the provider runs as a system app: on a thread of its own it brings the app to its wanted state
 * ({@link SystemApp#step()}) and looks the server's job up in discoverd (service {@code serverService}), and the
 * server counts as up once a superuser connection to the instance's address succeeds. Until then
 * {@link #endpoint()} says what it waits for.
 */
public final class ManagedServer implements Server, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedServer.class);
    static final String JOB_ADDR = "job_addr";

    /** Checks that a server at {@code host:port} accepts the superuser; throws with the cause when not. */
    @FunctionalInterface
    public interface Probe {
        void check(String address) throws Exception;
    }

    private final ServerApp app;
    private final DiscoverdClient discoverd;
    private final String serverService;
    private final Probe probe;
    private final URI controllerUrl;
    private final String label;
    private final Thread loop;
    private volatile ServerEndpoint ready;
    private volatile String waitingFor = "the provider's first look at its system app (it has just started)";
    private volatile boolean closed;

    /** {@code label} names the server in messages: "PostgreSQL server", "Redis server". */
    public ManagedServer(ServerApp app, DiscoverdClient discoverd, String serverService, Probe probe, URI controllerUrl,
                         String label) {
        this.app = app;
        this.label = label;
        this.discoverd = discoverd;
        this.serverService = serverService;
        this.probe = probe;
        this.controllerUrl = controllerUrl;
        this.loop = new Thread(this::run, app.app() + "-system-app");
        this.loop.setDaemon(true);
    }

    public void start() {
        loop.start();
    }

    @Override
    public ServerEndpoint endpoint() throws ServerNotReady {
        ServerEndpoint endpoint = ready;
        if (endpoint == null) {
            throw new ServerNotReady(waitingFor);
        }
        return endpoint;
    }

    /** What the provider waits for, or empty when the server is up. */
    public Optional<String> waitingFor() {
        return ready == null ? Optional.of(waitingFor) : Optional.empty();
    }

    private void run() {
        while (!closed) {
            tick();
            try {
                Thread.sleep(ready == null ? 1000 : 5000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public void tick() {
        Optional<String> appWaits;
        try {
            appWaits = app.step();
        } catch (RuntimeException e) {
            appWaits = Optional.of("the controller at " + controllerUrl + " to manage the system app " + app.app()
                    + " (" + e.getMessage() + ")");
        }
        List<Instance> instances;
        try {
            instances = discoverd.instances(serverService);
        } catch (RuntimeException e) {
            notReady("discoverd at " + discoverd.base() + " to list " + serverService + " (" + e.getMessage() + ")");
            return;
        }
        Optional<Instance> instance = instances.stream().filter(i -> i.meta().containsKey(JOB_ADDR)).findFirst();
        if (instance.isEmpty()) {
            String jobs;
            try {
                jobs = app.describeJob();
            } catch (RuntimeException e) {
                jobs = "job " + app.app() + "/" + app.type() + " to start";
            }
            notReady(appWaits.orElse(jobs) + " (discoverd service " + serverService + " has no instance with a "
                    + JOB_ADDR + " yet)");
            return;
        }
        ServerEndpoint endpoint = new ServerEndpoint(instance.get().address(), instance.get().meta().get(JOB_ADDR));
        try {
            probe.check(endpoint.address());
        } catch (Exception e) {
            notReady("the " + label + " at " + endpoint.address() + " (job " + app.app() + "/" + app.type()
                    + ") to accept connections: " + e.getMessage());
            return;
        }
        if (!endpoint.equals(ready)) {
            LOG.info("event=server_up address={} job_addr={}", endpoint.address(), endpoint.jobAddress());
        }
        ready = endpoint;
    }

    private void notReady(String why) {
        if (ready != null || !why.equals(waitingFor)) {
            LOG.info("event=server_waiting reason=\"{}\"", why);
        }
        ready = null;
        waitingFor = why;
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
    }

}
