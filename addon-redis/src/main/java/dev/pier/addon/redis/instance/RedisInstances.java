package dev.pier.addon.redis.instance;

import dev.pier.addon.kit.ManagedServer;
import dev.pier.addon.kit.Secrets;
import dev.pier.addon.kit.ServerEndpoint;
import dev.pier.addon.kit.ServerNotReady;
import dev.pier.addon.kit.SystemApp;
import dev.pier.addon.redis.provision.RespConnection;
import dev.pier.addon.redis.server.RedisServerSpec;
import dev.pier.api.App;
import dev.pier.api.Release;
import dev.pier.api.Volume;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.http.PierApiException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The redis provider's resources, each one redis-server of its own run as a system app on the controller
 * ({@code pier-redis-<id>}, addon-kit's {@link SystemApp}): its own password, its own append-only file on its own
 * volume, its own fixed host port. The controller's apps are the provider's whole record: the password is the
 * release's {@code REDIS_PASSWORD}, the host port the app's meta {@value #HOST_PORT}, the address apps use the job's
 * discoverd meta {@code job_addr}.
 */
public final class RedisInstances {
    private static final Logger LOG = LoggerFactory.getLogger(RedisInstances.class);
    public static final String RESOURCE = "pier.addon.resource";
    public static final String HOST_PORT = "pier.addon.host-port";
    private static final Duration POLL = Duration.ofMillis(250);

    /** How the instances are run. */
    public record Settings(String image, int basePort, int portCount, int memoryMb, int maxmemoryMb,
                           Duration provisionWait, Duration volumeWait) {
    }

    private final ControllerClient controller;
    private final DiscoverdClient discoverd;
    private final URI controllerUrl;
    private final Settings settings;
    private final Object allocation = new Object();

    public RedisInstances(ControllerClient controller, URI controllerUrl, DiscoverdClient discoverd, Settings settings) {
        this.controller = controller;
        this.controllerUrl = controllerUrl;
        this.discoverd = discoverd;
        this.settings = settings;
    }

    /** The discoverd service of a resource's server job: {@code <app>-redis}. */
    public static String service(String id) {
        return RedisInstance.app(id) + "-" + RedisServerSpec.SPEC.type();
    }

    /**
     * A new resource: its app, release and one job; answers once its server accepts {@code AUTH} and {@code PING} at
     * its discoverd address. Not up within the provision wait: what was made is removed (in the background) and
     * {@link ServerNotReady} says what was waited for.
     */
    public ProvidedInstance provision() throws ServerNotReady {
        RedisInstance instance = new RedisInstance(Secrets.hex(16), Secrets.password());
        long deadline = System.nanoTime() + settings.provisionWait().toNanos();
        ManagedServer server;
        synchronized (allocation) { // the app, with its host port in its meta, exists before the next one is chosen
            int port = HostPorts.next(takenPorts(), settings.basePort(), settings.portCount()).orElseThrow(() ->
                    new NoPortLeft("every host port of the redis provider's range " + settings.basePort() + "-"
                            + (settings.basePort() + settings.portCount() - 1) + " is held by a resource"));
            SystemApp app = new SystemApp(controller, RedisServerSpec.SPEC, instance.app(), settings.image(),
                    Map.of(RedisServerSpec.PASSWORD_VAR, instance.password(), RedisServerSpec.MAXMEMORY_VAR,
                            settings.maxmemoryMb() + "mb"),
                    port, settings.memoryMb(), Map.of(RESOURCE, instance.id(), HOST_PORT, Integer.toString(port)));
            server = new ManagedServer(app, discoverd, service(instance.id()),
                    address -> ping(address, instance.password()), controllerUrl, RedisServerSpec.SPEC.label());
            server.tick();
            LOG.info("event=resource_provisioning id={} app={} host_port={}", instance.id(), instance.app(), port);
        }
        while (true) {
            Optional<String> waiting = server.waitingFor();
            if (waiting.isEmpty()) {
                ServerEndpoint endpoint = server.endpoint();
                LOG.info("event=resource_provisioned id={} app={} job_addr={}", instance.id(), instance.app(),
                        endpoint.jobAddress());
                return new ProvidedInstance(instance, endpoint.jobAddress());
            }
            if (System.nanoTime() > deadline) {
                LOG.info("event=resource_provision_timed_out id={} waiting_for=\"{}\"", instance.id(), waiting.get());
                removeLater(instance.id());
                throw new ServerNotReady(waiting.get() + "; not up after " + settings.provisionWait().toSeconds()
                        + " s, so resource " + instance.id() + " is being removed again");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                removeLater(instance.id());
                throw new ServerNotReady("the Redis server of resource " + instance.id() + " (interrupted)");
            }
            server.tick();
        }
    }

    /** A resource and the address apps reach its server at. */
    public record ProvidedInstance(RedisInstance instance, String jobAddress) {
        public Map<String, String> env() {
            return instance.env(jobAddress);
        }
    }

    /** The resource of this id, or empty when this provider has none by it; its server must be announced. */
    public Optional<ProvidedInstance> find(String id) throws ServerNotReady {
        if (!RedisInstance.isId(id)) {
            return Optional.empty();
        }
        Optional<App> app = app(id);
        if (app.isEmpty()) {
            return Optional.empty();
        }
        Release release = currentRelease(RedisInstance.app(id));
        String password = release == null ? null : release.env().get(RedisServerSpec.PASSWORD_VAR);
        if (password == null) {
            throw new ServerNotReady("the first release of resource " + id + "'s app " + RedisInstance.app(id));
        }
        List<Instance> instances = discoverd.instances(service(id));
        return Optional.of(instances.stream().map(i -> i.meta().get("job_addr")).filter(a -> a != null).findFirst()
                .map(jobAddress -> new ProvidedInstance(new RedisInstance(id, password), jobAddress))
                .orElseThrow(() -> new ServerNotReady("the Redis server of resource " + id + " (discoverd service "
                        + service(id) + " has no instance with a job_addr: its job is not up)")));
    }

    /**
     * Deletes the resource's app (the controller stops its job), then its volume(s), waiting (bounded) while the
     * ending job still holds one. False when there is neither app nor volume by that id. A deprovision cut short is
     * finished by the next one: the volumes are found by the app's name after the app is gone.
     */
    public boolean deprovision(String id) throws ServerNotReady {
        if (!RedisInstance.isId(id)) {
            return false;
        }
        String app = RedisInstance.app(id);
        boolean appExisted = app(id).isPresent();
        if (appExisted) {
            try {
                controller.deleteApp(app);
            } catch (PierApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        List<Volume> volumes = controller.volumes(app);
        if (!appExisted && volumes.isEmpty()) {
            return false;
        }
        for (Volume volume : volumes) {
            deleteVolume(id, volume.name());
        }
        LOG.info("event=resource_deprovisioned id={} app={} volumes_deleted={}", id, app, volumes.size());
        return true;
    }

    private void deleteVolume(String id, String name) throws ServerNotReady {
        long deadline = System.nanoTime() + settings.volumeWait().toNanos();
        while (true) {
            try {
                controller.deleteVolume(name);
                return;
            } catch (PierApiException e) {
                if (e.isNotFound()) {
                    return;
                }
                if (!e.isConflict()) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new ServerNotReady("volume " + name + " of resource " + id + " to be released by its job, "
                            + "which is still ending after " + settings.volumeWait().toSeconds() + " s (" + e.getMessage()
                            + "); the app is deleted, a retried delete removes the volume");
                }
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServerNotReady("volume " + name + " to be deleted (interrupted)");
            }
        }
    }

    /** Removes what a provision that did not come up made, on a thread of its own (the caller has its answer). */
    private void removeLater(String id) {
        Thread cleanup = new Thread(() -> {
            try {
                deprovision(id);
            } catch (ServerNotReady | RuntimeException e) {
                LOG.warn("event=resource_cleanup_failed id={} reason=\"{}\"", id, e.getMessage());
            }
        }, "redis-cleanup-" + id);
        cleanup.setDaemon(true);
        cleanup.start();
    }

    /** Whether the controller and discoverd answer: the provider's health; empty when both do. */
    public Optional<String> unreachable() {
        try {
            controller.apps();
        } catch (RuntimeException e) {
            return Optional.of("the controller at " + controllerUrl + " (" + e.getMessage() + ")");
        }
        try {
            discoverd.services();
        } catch (RuntimeException e) {
            return Optional.of("discoverd at " + discoverd.base() + " (" + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    private Set<Integer> takenPorts() {
        return controller.apps().stream()
                .filter(a -> RedisServerSpec.SPEC.addon().equals(a.meta().get("pier.addon")))
                .map(a -> a.meta().get(HOST_PORT)).filter(p -> p != null && p.matches("[0-9]{1,5}"))
                .map(Integer::valueOf).collect(Collectors.toSet());
    }

    private Optional<App> app(String id) {
        try {
            App app = controller.app(RedisInstance.app(id));
            return id.equals(app.meta().get(RESOURCE)) ? Optional.of(app) : Optional.empty();
        } catch (PierApiException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Release currentRelease(String app) {
        try {
            return controller.currentRelease(app);
        } catch (PierApiException e) {
            if (e.status() == 404 || e.status() == 409) {
                return null;
            }
            throw e;
        }
    }

    /** Checks that the server at {@code address} takes the password and answers PING (has loaded its data). */
    public static void ping(String address, String password) throws IOException {
        try (RespConnection redis = RespConnection.open(address, null, password)) {
            redis.call("PING");
        }
    }

    /** Every port of the range is held. */
    public static final class NoPortLeft extends RuntimeException {
        NoPortLeft(String message) {
            super(message);
        }
    }
}
