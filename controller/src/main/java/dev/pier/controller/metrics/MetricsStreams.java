package dev.pier.controller.metrics;

import dev.pier.api.metrics.MetricsPoint;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open {@code /apps/{app}/metrics/stream}s: each gets the app's points there are, then every new one
 * ({@code event: point}), and a comment every {@value #HEARTBEAT_SECONDS} s so that a client that went away is
 * noticed. Stopping (before the web server's graceful shutdown) ends them all.
 */
@Component
public class MetricsStreams implements SmartLifecycle {
    static final int HEARTBEAT_SECONDS = 15;

    private final MetricsHistory history;
    private final MetricsSampler sampler;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;

    public MetricsStreams(MetricsHistory history, MetricsSampler sampler) {
        this.history = history;
        this.sampler = sampler;
    }

    private final class Stream {
        final SseEmitter emitter = new SseEmitter(0L);
        final String app;
        Runnable unlisten = () -> { };

        Stream(String app) {
            this.app = app;
        }

        synchronized void send(SseEmitter.SseEventBuilder event) {
            try {
                emitter.send(event);
            } catch (IOException | IllegalStateException e) {
                close(); // the client went away
            }
        }

        void close() {
            if (streams.remove(this)) {
                unlisten.run();
                emitter.complete();
            }
        }
    }

    /** A stream of {@code app}'s points. */
    public SseEmitter open(String app) {
        Stream stream = new Stream(app);
        streams.add(stream);
        stream.emitter.onCompletion(stream::close);
        stream.emitter.onTimeout(stream::close);
        stream.emitter.onError(e -> stream.close());
        synchronized (stream) { // no new point goes out before the ones there are
            stream.unlisten = history.listen((of, point) -> {
                if (of.equals(app)) {
                    stream.send(point(point));
                }
            });
            if (sampler.lastProblem() != null) {
                stream.send(SseEmitter.event().name("problem").data(sampler.lastProblem()));
            }
            List<MetricsPoint> points = history.points(app, null);
            points.forEach(p -> stream.send(point(p)));
        }
        return stream.emitter;
    }

    private static SseEmitter.SseEventBuilder point(MetricsPoint point) {
        return SseEmitter.event().name("point").data(point, MediaType.APPLICATION_JSON);
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "pier-metrics-streams");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> streams.forEach(s -> s.send(SseEmitter.event().comment("keep-alive"))),
                HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        List.copyOf(streams).forEach(Stream::close);
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
