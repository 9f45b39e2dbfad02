package dev.pier.api.discoverd;

import dev.pier.api.http.Json;
import dev.pier.api.http.JsonHttpClient;
import dev.pier.api.http.ServerSentEvent;
import dev.pier.api.http.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A running watch of one service (see {@link DiscoverdClient#watch}). Besides calling its listener it keeps
 * the current view ({@link #instances()}, {@link #leader()}), which stays as last known while disconnected.
 * Close to stop; closing waits for no listener call.
 */
public final class Watch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Watch.class.getName());
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5000;

    private final JsonHttpClient http;
    private final String service;
    private final Consumer<ServiceEvent> listener;
    private final Duration staleAfter;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;
    private volatile Instance leader;
    private volatile boolean connected;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile InputStream stream;
    private volatile int connections;

    private final ScheduledExecutorService timers;
    private final Runnable onClose;
    private ScheduledFuture<?> watchdog;

    Watch(JsonHttpClient http, ScheduledExecutorService timers, String service, Consumer<ServiceEvent> listener,
            Duration staleAfter, Runnable onClose) {
        this.http = http;
        this.timers = timers;
        this.onClose = onClose;
        this.service = service;
        this.listener = listener;
        this.staleAfter = staleAfter;
        this.thread = new Thread(this::run, "discoverd-watch-" + service);
        this.thread.setDaemon(true);
    }

    synchronized void start() {
        thread.start();
        long period = Math.max(100, Math.min(1000, staleAfter.toMillis() / 4));
        watchdog = timers.scheduleWithFixedDelay(this::checkStale, period, period, TimeUnit.MILLISECONDS);
    }

    public String service() {
        return service;
    }

    /** The instances as last heard, oldest first. */
    public List<Instance> instances() {
        return instances.values().stream().sorted(Comparator.comparingLong(Instance::index)).toList();
    }

    /** The leader as last heard. */
    public Optional<Instance> leader() {
        return Optional.ofNullable(leader);
    }

    /** Whether the stream is connected and has delivered its snapshot. */
    public boolean isConnected() {
        return connected;
    }

    /** How many times a stream has delivered its snapshot (1 after the first connection). */
    public int connections() {
        return connections;
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MS;
        while (!isClosed()) {
            boolean heardSomething = false;
            try {
                HttpRequest request = http.request("/services/" + JsonHttpClient.encode(service) + "/instances")
                        .setHeader("Accept", "text/event-stream").GET().build();
                lastHeardNanos = System.nanoTime();
                InputStream in = http.openStream(request);
                stream = in;
                try (in) {
                    SseReader reader = new SseReader(in);
                    reader.readAll(this::onEvent, () -> lastHeardNanos = System.nanoTime());
                }
                heardSomething = connected;
            } catch (IOException | RuntimeException e) {
                heardSomething = connected;
                if (!isClosed()) {
                    LOG.log(System.Logger.Level.DEBUG, "event=watch-disconnected service=" + service
                            + " error=\"" + e.getMessage() + "\"");
                }
            } finally {
                connected = false;
                stream = null;
            }
            if (heardSomething) {
                backoff = FIRST_BACKOFF_MS;
            }
            try {
                if (closed.await(backoff, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                // the watchdog interrupts a silent stream; just reconnect
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    private void onEvent(ServerSentEvent sse) {
        lastHeardNanos = System.nanoTime();
        ServiceEvent event;
        try {
            event = Json.mapper().readValue(sse.data(), ServiceEvent.class);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=watch-unreadable service=" + service + " error=\""
                    + e.getMessage() + "\"");
            return;
        }
        switch (event.kind()) {
            case CURRENT -> {
                instances.clear();
                for (Instance instance : event.instances()) {
                    instances.put(instance.id(), instance);
                }
                leader = event.leader();
                connected = true;
                connections++;
            }
            case UP, UPDATE -> instances.put(event.instance().id(), event.instance());
            case DOWN -> instances.remove(event.instance().id());
            case LEADER -> leader = event.leader();
            default -> {
                // unknown kinds are ignored
            }
        }
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=watch-listener-failed service=" + service + " error=\""
                    + e + "\"");
        }
    }

    /** Runs periodically: reconnects a stream that went silent. */
    private void checkStale() {
        InputStream in = stream;
        if (in != null && System.nanoTime() - lastHeardNanos > staleAfter.toNanos()) {
            LOG.log(System.Logger.Level.INFO, "event=watch-stale service=" + service + " reconnecting=true");
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is all we want
            }
            thread.interrupt();
        }
    }

    /** Stops the watch and its thread. */
    @Override
    public void close() {
        if (isClosed()) {
            return;
        }
        closed.countDown();
        synchronized (this) {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
        onClose.run();
        InputStream in = stream;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is all we want
            }
        }
        thread.interrupt();
    }
}
