package dev.pier.api.discoverd;

import dev.pier.api.http.PierApiException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A registered instance kept alive by heartbeats (see {@link DiscoverdClient#register}). Closing it stops the
 * heartbeats and deregisters the instance at once. Thread-safe.
 */
public final class Registration implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Registration.class.getName());

    private final DiscoverdClient client;
    private final String service;
    private final String id;
    private final NewInstance body;
    private final Duration interval;
    private volatile Instance instance;
    private volatile boolean registered;
    private boolean closed;
    private ScheduledFuture<?> heartbeats;

    Registration(DiscoverdClient client, String service, String id, NewInstance body, Duration ttl) {
        this.client = client;
        this.service = service;
        this.id = id;
        this.body = body;
        this.interval = DiscoverdClient.heartbeatInterval(ttl);
    }

    void start(ScheduledExecutorService timers) {
        try {
            instance = client.put(service, id, body);
            registered = true;
        } catch (PierApiException e) {
            if (DiscoverdClient.isClientError(e)) {
                client.forget(this);
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "event=register-failed service=" + service + " id=" + id
                    + " retrying=true error=\"" + e.getMessage() + "\"");
        }
        synchronized (this) {
            heartbeats = timers.scheduleWithFixedDelay(this::heartbeat, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void heartbeat() {
        if (closed) {
            return;
        }
        try {
            instance = client.put(service, id, body);
            if (!registered) {
                LOG.log(System.Logger.Level.INFO, "event=registered service=" + service + " id=" + id);
            }
            registered = true;
        } catch (RuntimeException e) {
            if (registered) {
                LOG.log(System.Logger.Level.WARNING, "event=heartbeat-failed service=" + service + " id=" + id
                        + " error=\"" + e.getMessage() + "\"");
            }
            registered = false;
        }
    }

    public String service() {
        return service;
    }

    public String id() {
        return id;
    }

    /** The instance as discoverd last answered it, if it ever did. */
    public Optional<Instance> instance() {
        return Optional.ofNullable(instance);
    }

    /** Whether the last registration or heartbeat succeeded. */
    public boolean isRegistered() {
        return registered;
    }

    /** Stops heartbeating and deregisters at once (best effort: otherwise the lease expires within the TTL). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        client.forget(this);
        try {
            client.deregister(service, id);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=deregister-failed service=" + service + " id=" + id
                    + " error=\"" + e.getMessage() + "\"");
        }
        registered = false;
    }
}
