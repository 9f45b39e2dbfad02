package dev.pier.hostagent.sse;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open Server-Sent Events streams of one endpoint: an event goes to each of them, a heartbeat comment every
 * 10 s lets both ends notice a dead connection, and a stream that cannot be written is ended and dropped.
 * Streams never time out. Writes to one stream are one at a time, whichever thread makes them.
 */
public final class SseSubscribers implements AutoCloseable {
    public static final Duration HEARTBEAT = Duration.ofSeconds(10);

    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeat;

    /** Heartbeats run on a daemon thread named {@code threadName}, which hands each to {@code beatOn}. */
    public SseSubscribers(String threadName, Executor beatOn) {
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        long period = HEARTBEAT.toMillis();
        heartbeat.scheduleWithFixedDelay(() -> beatOn.execute(() -> sendAll(() -> SseEmitter.event().comment("heartbeat"))),
                period, period, TimeUnit.MILLISECONDS);
    }

    /** A new stream, not yet given the events sent to all: {@link #add} it once it has what comes first. */
    public SseEmitter open() {
        SseEmitter emitter = new SseEmitter(0L);
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(() -> emitters.remove(emitter));
        emitter.onError(e -> emitters.remove(emitter));
        return emitter;
    }

    public void add(SseEmitter emitter) {
        emitters.add(emitter);
    }

    /** Writes one event to one stream; false (and the stream ended with the error) when it cannot. */
    public static boolean send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        synchronized (emitter) {
            try {
                emitter.send(event);
                return true;
            } catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e);
                return false;
            }
        }
    }

    /** Sends to every stream; the event is built once per stream, since a built event cannot be sent twice. */
    public void sendAll(Supplier<SseEmitter.SseEventBuilder> event) {
        for (SseEmitter emitter : emitters) {
            if (!send(emitter, event.get())) {
                emitters.remove(emitter);
            }
        }
    }

    /** Ends every stream (their clients see the end and reconnect, or look elsewhere). */
    public void completeAll() {
        emitters.forEach(SseEmitter::complete);
        emitters.clear();
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        completeAll();
    }
}
