package dev.pier.api.controller;

import dev.pier.api.Event;
import dev.pier.api.http.Json;
import dev.pier.api.http.JsonHttpClient;
import dev.pier.api.http.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running follow of the controller's event stream. Resumes with {@code Last-Event-ID} after a broken
 * connection; back-off doubles from 250 ms to 10 s. A stream silent for longer than three heartbeats is
 * treated as dead and reopened.
 */
public final class EventSubscription implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventSubscription.class.getName());
    private static final Duration IDLE_LIMIT = Duration.ofSeconds(50);

    private final JsonHttpClient client;
    private final String path;
    private final Consumer<Event> onEvent;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Thread thread;
    private volatile long lastId;
    private volatile InputStream current;
    private volatile boolean connected;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pier-events-watchdog");
        t.setDaemon(true);
        return t;
    });

    private volatile long lastActivity = System.nanoTime();
    private final ScheduledFuture<?> watchdog;

    /** {@code afterId} must be known (the caller pins "now" to the newest matching event's id). */
    EventSubscription(JsonHttpClient client, String path, long afterId, Consumer<Event> onEvent) {
        this.client = client;
        this.path = path;
        this.lastId = afterId;
        this.onEvent = onEvent;
        this.thread = new Thread(this::run, "pier-events-follow");
        this.thread.setDaemon(true);
        this.thread.start();
        this.watchdog = WATCHDOG.scheduleWithFixedDelay(this::closeIfIdle, 5, 5, TimeUnit.SECONDS);
    }

    private void closeIfIdle() {
        InputStream in = current;
        if (in != null && System.nanoTime() - lastActivity > IDLE_LIMIT.toNanos()) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the reader fails and reconnects
            }
        }
    }

    /** The id of the last event delivered, or the starting point. */
    public long lastId() {
        return lastId;
    }

    /** Whether the stream is connected right now. */
    public boolean isConnected() {
        return connected;
    }

    private void run() {
        long backoff = 250;
        while (open.get()) {
            HttpRequest.Builder request = client.request(path).setHeader("Accept", "text/event-stream")
                    .timeout(Duration.ofDays(3650));
            request.header("Last-Event-ID", Long.toString(lastId));
            try (InputStream in = client.openStream(request.GET().build())) {
                current = in;
                connected = true;
                backoff = 250;
                lastActivity = System.nanoTime();
                new SseReader(in).readAll(sse -> {
                    lastActivity = System.nanoTime();
                    try {
                        Event event = Json.mapper().readValue(sse.data(), Event.class);
                        onEvent.accept(event);
                        lastId = event.id();
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, "unreadable event skipped: " + e.getMessage());
                    }
                }, () -> lastActivity = System.nanoTime());
            } catch (RuntimeException | IOException e) {
                if (open.get()) {
                    LOG.log(Level.FINE, "event stream broke: " + e.getMessage());
                }
            } finally {
                connected = false;
                current = null;
            }
            if (!open.get()) {
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, 10_000);
        }
    }

    @Override
    public void close() {
        open.set(false);
        watchdog.cancel(false);
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        thread.interrupt();
    }
}
