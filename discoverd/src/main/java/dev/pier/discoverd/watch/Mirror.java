package dev.pier.discoverd.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.ServiceEvent;
import dev.pier.api.http.Json;
import dev.pier.discoverd.registry.Entry;
import dev.pier.discoverd.registry.Keys;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * discoverd's live copy of everything under its etcd prefix, fed by one etcd watch. It loads the whole prefix
 * at revision R and watches from R+1, so nothing falls between the load and the watch; when the watch fails
 * (etcd gone, history compacted) it reloads and turns the differences into events; an instance missing from such
 * a reload is held for one lease period (its registration's TTL) before it goes {@code down}, since etcd may have
 * expired its lease while discoverd could not renew it and its owner heartbeats again within that period (see
 * {@link ServiceView#expire}). Subscribers get the current
 * snapshot of a service and then its events, under one lock, so a stream has no gap and no duplicate. While etcd
 * is unreachable the last known view stays and subscribers keep it. As a lifecycle bean it starts after the web
 * server and stops before it, so open watch streams end promptly at shutdown.
 */
public class Mirror implements SmartLifecycle, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Mirror.class);
    private static final long MAX_RETRY_MS = 2000;

    /** A subscriber's handle; closing it stops its events. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private record Subscriber(String service, Consumer<ServiceEvent> sink) {
    }

    private final Client client;
    private final Keys keys;
    private final Duration timeout;
    private final Duration defaultTtl;
    private final java.time.Clock clock;
    /** The lease TTL of each instance ({@code service/id}) as last written, for how long to hold it. */
    private final Map<String, Duration> ttls = new java.util.concurrent.ConcurrentHashMap<>();
    private final ObjectMapper json = Json.mapper();
    private final Object lock = new Object();
    private final Map<String, ServiceView> views = new HashMap<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "discoverd-mirror");
        thread.setDaemon(true);
        return thread;
    });
    private long revision;
    private Watch.Watcher watcher;
    private volatile boolean live;
    private volatile boolean closed;
    private volatile boolean started;
    private long retryMs = 100;
    private final java.util.concurrent.atomic.LongAdder delivered = new java.util.concurrent.atomic.LongAdder();

    public Mirror(Client client, Keys keys, Duration timeout) {
        this(client, keys, timeout, Duration.ofSeconds(5), java.time.Clock.systemUTC());
    }

    /** {@code defaultTtl}: how long to hold an instance whose TTL was not stored (values of older discoverds). */
    public Mirror(Client client, Keys keys, Duration timeout, Duration defaultTtl, java.time.Clock clock) {
        this.client = client;
        this.keys = keys;
        this.timeout = timeout;
        this.defaultTtl = defaultTtl;
        this.clock = clock;
    }

    @Override
    public void start() {
        started = true;
        retries.execute(this::sync);
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public boolean isRunning() {
        return started && !closed;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Whether the watch on etcd is established (false while etcd is unreachable). */
    public boolean isLive() {
        return live;
    }

    /** Delivers {@code service}'s snapshot to {@code sink} now, then every event of it, in order. */
    public Subscription subscribe(String service, Consumer<ServiceEvent> sink) {
        Subscriber subscriber = new Subscriber(service, sink);
        synchronized (lock) {
            sink.accept(view(service).snapshot(revision));
            subscribers.add(subscriber);
        }
        return () -> subscribers.remove(subscriber);
    }

    /** Instances per service with at least one (for {@code /metrics}). */
    public Map<String, Integer> instanceCounts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        synchronized (lock) {
            views.forEach((service, view) -> {
                int n = view.instances().size();
                if (n > 0) {
                    counts.put(service, n);
                }
            });
        }
        return counts;
    }

    /** Open watches per service (the fan-out; for {@code /metrics}). */
    public Map<String, Integer> subscriberCounts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        subscribers.forEach(s -> counts.merge(s.service(), 1, Integer::sum));
        return counts;
    }

    /** Events handed to watchers so far (one per event and watcher). */
    public long eventsDelivered() {
        return delivered.sum();
    }

    private ServiceView view(String service) {
        return views.computeIfAbsent(service, ServiceView::new);
    }

    private void sync() {
        if (closed) {
            return;
        }
        try {
            GetResponse all = client.getKVClient()
                    .get(Keys.bytes(keys.all()), GetOption.builder().isPrefix(true).build())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long loaded = all.getHeader().getRevision();
            Map<String, List<Instance>> instances = new HashMap<>();
            Map<String, List<Instance>> candidates = new HashMap<>();
            for (KeyValue entry : all.getKvs()) {
                Optional<Keys.Path> path = keys.parse(entry.getKey().toString(StandardCharsets.UTF_8));
                if (path.isEmpty()) {
                    continue;
                }
                Map<String, List<Instance>> into = path.get().kind() == Keys.Kind.CANDIDATE ? candidates : instances;
                decode(path.get(), entry).ifPresent(instance ->
                        into.computeIfAbsent(instance.service(), s -> new ArrayList<>()).add(instance));
            }
            int held = 0;
            synchronized (lock) {
                Set<String> services = new HashSet<>(views.keySet());
                services.addAll(instances.keySet());
                services.addAll(candidates.keySet());
                java.time.Instant now = clock.instant();
                for (String service : services) {
                    ServiceView view = view(service);
                    Map<String, java.time.Instant> holdUntil = new HashMap<>();
                    for (Instance known : view.instances()) {
                        holdUntil.put(known.id(), now.plus(ttls.getOrDefault(service + "/" + known.id(), defaultTtl)));
                    }
                    dispatch(service, view.replace(instances.getOrDefault(service, List.of()),
                            candidates.getOrDefault(service, List.of()), loaded, holdUntil));
                    held += view.held().size();
                }
                revision = loaded;
                if (watcher != null) {
                    watcher.close();
                }
                watcher = client.getWatchClient().watch(Keys.bytes(keys.all()),
                        WatchOption.builder().isPrefix(true).withRevision(loaded + 1).build(),
                        Watch.listener(this::onWatch, this::onWatchError));
            }
            live = true;
            retryMs = 100;
            LOG.info("event=mirror_synced revision={} services={} held={}", loaded, services(), held);
            if (held > 0) {
                scheduleExpiry();
            }
        } catch (Exception e) {
            live = false;
            if (closed) {
                return;
            }
            LOG.warn("event=etcd_unreachable action=mirror_sync retry_ms={} error=\"{}\"", retryMs, message(e));
            retries.schedule(this::sync, retryMs, TimeUnit.MILLISECONDS);
            retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        }
    }

    /** Runs {@link #expireHeld} when the earliest held instance's deadline comes. */
    private void scheduleExpiry() {
        java.time.Instant first;
        synchronized (lock) {
            first = views.values().stream().flatMap(v -> v.held().values().stream()).min(java.time.Instant::compareTo)
                    .orElse(null);
        }
        if (first == null || closed) {
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), first).toMillis() + 1);
        try {
            retries.schedule(this::expireHeld, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    /** Instances held since a resync whose owners did not register again within their lease period go down. */
    private void expireHeld() {
        int expired = 0;
        synchronized (lock) {
            java.time.Instant now = clock.instant();
            for (Map.Entry<String, ServiceView> view : views.entrySet()) {
                List<ServiceEvent> events = view.getValue().expire(now, revision);
                expired += events.size();
                events.forEach(e -> ttls.remove(view.getKey() + "/" + e.instance().id()));
                dispatch(view.getKey(), events);
            }
        }
        if (expired > 0) {
            LOG.info("event=mirror_held_expired instances={}", expired);
        }
        scheduleExpiry();
    }

    private int services() {
        synchronized (lock) {
            return (int) views.values().stream().filter(v -> !v.isEmpty()).count();
        }
    }

    private void onWatch(WatchResponse response) {
        synchronized (lock) {
            for (WatchEvent event : response.getEvents()) {
                KeyValue entry = event.getKeyValue();
                Optional<Keys.Path> parsed = keys.parse(entry.getKey().toString(StandardCharsets.UTF_8));
                if (parsed.isEmpty()) {
                    continue;
                }
                Keys.Path path = parsed.get();
                long at = entry.getModRevision();
                if (at <= revision) {
                    continue;
                }
                ServiceView view = view(path.service());
                switch (event.getEventType()) {
                    case PUT -> decode(path, entry).ifPresent(instance ->
                            dispatch(path.service(), view.put(path.kind(), instance, at)));
                    case DELETE -> {
                        if (path.kind() == Keys.Kind.INSTANCE) {
                            ttls.remove(path.service() + "/" + path.id());
                        }
                        dispatch(path.service(), view.delete(path.kind(), path.id(), at));
                    }
                    default -> {
                        // UNRECOGNIZED: nothing to apply
                    }
                }
                revision = at;
            }
            live = true;
        }
    }

    private void onWatchError(Throwable error) {
        live = false;
        if (closed) {
            return;
        }
        LOG.warn("event=etcd_watch_failed action=resync error=\"{}\"", message(error));
        retries.schedule(this::sync, retryMs, TimeUnit.MILLISECONDS);
    }

    private void dispatch(String service, List<ServiceEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        for (Subscriber subscriber : subscribers) {
            if (subscriber.service().equals(service)) {
                events.forEach(subscriber.sink());
                delivered.add(events.size());
            }
        }
    }

    private Optional<Instance> decode(Keys.Path path, KeyValue entry) {
        try {
            Entry value = json.readValue(entry.getValue().getBytes(), Entry.class);
            if (path.kind() == Keys.Kind.INSTANCE && value.ttlSeconds() != null) {
                ttls.put(path.service() + "/" + path.id(), Duration.ofSeconds(value.ttlSeconds()));
            }
            return Optional.of(value.toInstance(path.service(), path.id(), entry.getCreateRevision()));
        } catch (IOException e) {
            LOG.warn("event=unreadable_entry service={} id={} error=\"{}\"", path.service(), path.id(), e.getMessage());
            return Optional.empty();
        }
    }

    private static String message(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        live = false;
        synchronized (lock) {
            if (watcher != null) {
                watcher.close();
            }
        }
        retries.shutdownNow();
    }
}
