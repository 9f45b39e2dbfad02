package dev.pier.api.discoverd;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.pier.api.Names;
import dev.pier.api.http.JsonHttpClient;
import dev.pier.api.http.PierApiException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The typed client of discoverd, Pier's service discovery and leader election service (see
 * {@code docs/discoverd.md}). Every other Pier module finds its peers through this client.
 *
 * <pre>{@code
 * try (DiscoverdClient discoverd = new DiscoverdClient(URI.create("http://127.0.0.1:8310"), clusterKey)) {
 *     Registration me = discoverd.register("pier-controller", "host1-8300", "127.0.0.1:8300", Map.of());
 *     Watch hosts = discoverd.watch("pier-host", event -> log(event));
 *     Election election = discoverd.campaign("pier-scheduler", "host1", "127.0.0.1:8330", Map.of(),
 *             DiscoverdClient.DEFAULT_TTL, new Election.Listener() {
 *                 public void elected(Instance self) { startScheduling(); }
 *                 public void deposed() { stopScheduling(); }
 *             });
 *     ...
 *     me.close();          // deregisters at once
 *     election.close();    // resigns
 * }
 * }</pre>
 *
 * <p>Plain calls ({@link #instances}, {@link #services}, {@link #leader}, ...) throw {@link PierApiException}:
 * a 4xx names the bad field, 503 means discoverd cannot reach etcd, status 0 means discoverd itself is
 * unreachable. The long-lived handles ({@link Registration}, {@link Watch}, {@link Election}) never throw
 * after they start: they retry with back-off until closed. Closing the client closes every handle it made.
 * Thread-safe.
 */
public final class DiscoverdClient implements AutoCloseable {
    /** discoverd's default port. */
    public static final int DEFAULT_PORT = 8310;
    /** The lease TTL the convenience methods use: an owner that stops heartbeating is gone this long after. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
    /** A watch that hears nothing (not even a heartbeat comment) for this long reconnects. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(15);

    private static final TypeReference<List<Instance>> INSTANCES = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };

    private final JsonHttpClient http;
    private final ScheduledExecutorService timers;
    private final Set<AutoCloseable> handles = ConcurrentHashMap.newKeySet();

    /** A client of the discoverd at {@code base} (e.g. {@code http://127.0.0.1:8310}) with a 5 s timeout. */
    public DiscoverdClient(URI base, String clusterKey) {
        this(base, clusterKey, Duration.ofSeconds(5));
    }

    /** A client with a timeout on every request (streams: on their headers only). */
    public DiscoverdClient(URI base, String clusterKey, Duration timeout) {
        this.http = new JsonHttpClient(base, clusterKey, timeout);
        this.timers = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "discoverd-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    public URI base() {
        return http.base();
    }

    // ---- instances ----

    /**
     * Registers {@code service}/{@code id} once, or renews its lease when it is registered already (one
     * heartbeat). Most callers want {@link #register}, which repeats this until closed.
     */
    public Instance put(String service, String id, NewInstance instance) {
        return http.put(instancePath(service, id), instance, Instance.class);
    }

    /** {@link #register(String, String, String, Map, Duration)} with {@link #DEFAULT_TTL}. */
    public Registration register(String service, String id, String address, Map<String, String> meta) {
        return register(service, id, address, meta, DEFAULT_TTL);
    }

    /**
     * Registers an instance and keeps it registered by heartbeating every third of {@code ttl} until the
     * returned handle is closed (which deregisters at once). The first registration happens before this
     * returns; a 4xx answer (bad name, bad address) is thrown. When discoverd or etcd is unavailable the
     * handle keeps retrying in the background ({@link Registration#isRegistered()} is false meanwhile), so
     * registrations come back by themselves after an outage.
     */
    public Registration register(String service, String id, String address, Map<String, String> meta,
            Duration ttl) {
        Registration registration = new Registration(this, service, id,
                new NewInstance(address, meta == null ? Map.of() : meta, ttlSeconds(ttl)), ttl);
        handles.add(registration);
        registration.start(timers);
        return registration;
    }

    /** Deregisters {@code service}/{@code id} at once (watchers see {@code down}); idempotent. */
    public void deregister(String service, String id) {
        http.delete(instancePath(service, id));
    }

    /** The instances of {@code service}, oldest first (empty when it has none). */
    public List<Instance> instances(String service) {
        return http.get("/services/" + JsonHttpClient.encode(service) + "/instances", INSTANCES);
    }

    /** The names of the services that have at least one instance or candidate, sorted. */
    public List<String> services() {
        return http.get("/services", NAMES);
    }

    // ---- watch ----

    /**
     * Watches {@code service} on a thread of its own: {@code listener} first gets a {@link ServiceEvent.Kind#CURRENT}
     * snapshot, then {@code up}/{@code update}/{@code down}/{@code leader} events in order. When the connection
     * drops (or goes silent for {@link #DEFAULT_STALE_AFTER}), the watch reconnects with back-off (100 ms doubling
     * to 5 s) and delivers a fresh {@code current} snapshot, so replacing the view on {@code current} is enough
     * for a consumer to stay complete. Exceptions thrown by the listener are logged and ignored. Close to stop.
     */
    public Watch watch(String service, Consumer<ServiceEvent> listener) {
        return watch(service, listener, DEFAULT_STALE_AFTER);
    }

    /**
     * {@link #watch(String, Consumer)} with a custom silence limit before reconnecting.
     *
     * @throws IllegalArgumentException when {@code service} is not a valid service name (a watch never gives up,
     *                                  so bad names are refused here rather than retried forever)
     */
    public Watch watch(String service, Consumer<ServiceEvent> listener, Duration staleAfter) {
        Names.problemWithService(service).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        Watch[] self = new Watch[1];
        Watch watch = new Watch(http, timers, service, listener, staleAfter, () -> forget(self[0]));
        self[0] = watch;
        handles.add(watch);
        watch.start();
        return watch;
    }

    // ---- leader election ----

    /** The current leader of {@code service}'s election ({@link Leadership#leader()} null when none). */
    public Leadership leader(String service) {
        return http.get(leaderPath(service), Leadership.class);
    }

    /** Campaigns once, or renews the candidate's lease (one heartbeat); answers who leads now. */
    public Leadership campaignOnce(String service, Candidacy candidacy) {
        return http.put(leaderPath(service), candidacy, Leadership.class);
    }

    /** Withdraws candidate {@code id} at once; if it led, the next candidate leads. Idempotent. */
    public void resign(String service, String id) {
        http.delete(leaderPath(service) + "/" + JsonHttpClient.encode(id));
    }

    /**
     * Enters candidate {@code id} in {@code service}'s election and keeps campaigning (a heartbeat every third of
     * {@code ttl}) until the handle is closed, which resigns. {@code listener} hears when this candidate wins
     * and loses, on the election's own thread. If this candidate cannot renew its candidacy for {@code ttl}
     * (discoverd or etcd unreachable) it considers itself deposed, since another candidate may lead by then.
     * A 4xx answer to the first campaign is thrown.
     */
    public Election campaign(String service, String id, String address, Map<String, String> meta, Duration ttl,
            Election.Listener listener) {
        Election election = new Election(this, service,
                new Candidacy(id, address, meta == null ? Map.of() : meta, ttlSeconds(ttl)), ttl, listener);
        handles.add(election);
        election.start();
        return election;
    }

    /** Closes every registration (deregistering), watch and election made by this client. */
    @Override
    public void close() {
        for (AutoCloseable handle : List.copyOf(handles)) {
            try {
                handle.close();
            } catch (Exception e) {
                // best effort: the leases expire anyway
            }
        }
        timers.shutdownNow();
    }

    void forget(AutoCloseable handle) {
        handles.remove(handle);
    }

    static String instancePath(String service, String id) {
        return "/services/" + JsonHttpClient.encode(service) + "/instances/" + JsonHttpClient.encode(id);
    }

    static String leaderPath(String service) {
        return "/services/" + JsonHttpClient.encode(service) + "/leader";
    }

    static int ttlSeconds(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 1000 || ttl.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("ttl must be a whole number of seconds, at least 1 s: " + ttl);
        }
        return (int) ttl.toSeconds();
    }

    static Duration heartbeatInterval(Duration ttl) {
        return ttl.dividedBy(3);
    }

    static boolean isClientError(PierApiException e) {
        return e.status() >= 400 && e.status() < 500;
    }
}
