package dev.pier.controller.event;

import dev.pier.api.Event;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams the event log to subscribers as Server-Sent Events. Each subscriber has a cursor (the last id it
 * was sent) and reads the log after it, so a subscriber that resumes from {@code Last-Event-ID} gets every
 * later event exactly once. PostgreSQL's NOTIFY (sent by a trigger when an event commits, from any
 * controller) wakes the subscribers; a slow periodic wake covers a lost listen connection.
 */
@Component
public class EventStream implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final int BATCH = 500;
    private static final long HEARTBEAT_SECONDS = 15;

    private final EventLog log;
    private final DataSource dataSource;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final ExecutorService pumps = Executors.newFixedThreadPool(2, daemon("pier-event-pump"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("pier-event-timer"));
    private volatile boolean running;
    private Thread listener;

    public EventStream(EventLog log, DataSource dataSource) {
        this.log = log;
        this.dataSource = dataSource;
    }

    /** Opens a stream of events after {@code afterId} (null: only events from now on). */
    public SseEmitter subscribe(Long afterId, String app, Set<String> types) {
        long cursor = afterId != null ? afterId : log.lastId();
        SseEmitter emitter = new SseEmitter(0L);
        Subscription subscription = new Subscription(emitter, app, types, cursor);
        emitter.onCompletion(() -> subscriptions.remove(subscription));
        emitter.onTimeout(() -> subscriptions.remove(subscription));
        emitter.onError(e -> subscriptions.remove(subscription));
        subscriptions.add(subscription);
        subscription.schedule();
        return emitter;
    }

    public int subscriberCount() {
        return subscriptions.size();
    }

    private void wakeAll() {
        subscriptions.forEach(Subscription::schedule);
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN pier_events");
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                LOG.info("event=events_listening");
                wakeAll();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && notifications.length > 0) {
                        wakeAll();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warn("event=events_listen_failed error=\"{}\" retry_in=1s", e.getMessage());
                    sleepQuietly(1000);
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        listener = new Thread(this::listen, "pier-event-listener");
        listener.setDaemon(true);
        listener.start();
        timer.scheduleWithFixedDelay(this::wakeAll, 5, 5, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(() -> subscriptions.forEach(Subscription::heartbeat),
                HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        running = false;
        subscriptions.forEach(s -> s.emitter.complete());
        subscriptions.clear();
        timer.shutdownNow();
        pumps.shutdownNow();
        if (listener != null) {
            listener.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private final class Subscription {
        private final SseEmitter emitter;
        private final String app;
        private final Set<String> types;
        private final AtomicBoolean pending = new AtomicBoolean();
        private final AtomicBoolean draining = new AtomicBoolean();
        private long cursor;

        Subscription(SseEmitter emitter, String app, Set<String> types, long cursor) {
            this.emitter = emitter;
            this.app = app;
            this.types = types;
            this.cursor = cursor;
        }

        void schedule() {
            pending.set(true);
            if (draining.compareAndSet(false, true)) {
                try {
                    pumps.execute(this::drain);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    draining.set(false);
                }
            }
        }

        private void drain() {
            try {
                while (pending.getAndSet(false)) {
                    List<Event> batch;
                    do {
                        batch = log.after(cursor, app, types, BATCH);
                        for (Event event : batch) {
                            emitter.send(SseEmitter.event().id(Long.toString(event.id()))
                                    .data(event, MediaType.APPLICATION_JSON));
                            cursor = event.id();
                        }
                    } while (batch.size() == BATCH);
                }
            } catch (IOException | IllegalStateException e) {
                close();
            } catch (RuntimeException e) {
                LOG.warn("event=events_pump_failed error=\"{}\"", e.getMessage());
                pending.set(true);
            } finally {
                draining.set(false);
            }
        }

        void heartbeat() {
            try {
                emitter.send(SseEmitter.event().comment("keep-alive"));
            } catch (IOException | IllegalStateException e) {
                close();
            }
        }

        private void close() {
            subscriptions.remove(this);
            emitter.complete();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
