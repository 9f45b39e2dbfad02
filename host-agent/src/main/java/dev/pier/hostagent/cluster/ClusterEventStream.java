package dev.pier.hostagent.cluster;

import dev.pier.api.host.ClusterChange;
import dev.pier.web.ApiProblem;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /cluster/events} on the host leader: every change of its cluster view as it happens
 * ({@code event: change}, a {@link ClusterChange} as JSON), with a heartbeat comment every 10 s. The stream ends
 * when this agent stops leading, so a follower finds the new leader; other agents answer 503.
 */
@Component
public class ClusterEventStream implements HostLeader.ViewListener {
    private final HostLeader leader;
    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "pier-cluster-sse-heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    public ClusterEventStream(HostLeader leader) {
        this.leader = leader;
        leader.addListener(this);
        heartbeat.scheduleWithFixedDelay(this::beat, 10, 10, TimeUnit.SECONDS);
    }

    public SseEmitter subscribe() {
        if (!leader.isLeader()) {
            throw ApiProblem.unavailable(leader.leader()
                    .map(l -> "this agent is not the host leader; the leader is " + l.id() + " at " + l.url())
                    .orElse("this agent is not the host leader and no leader is known yet"));
        }
        SseEmitter emitter = new SseEmitter(0L);
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(() -> emitters.remove(emitter));
        emitter.onError(e -> emitters.remove(emitter));
        emitters.add(emitter);
        // The first comment opens the stream at once, so a follower knows it is following.
        send(emitter, () -> SseEmitter.event().comment("following the cluster view"));
        return emitter;
    }

    @Override
    public void changed(ClusterChange change) {
        for (SseEmitter emitter : emitters) {
            send(emitter, () -> SseEmitter.event().name("change").data(change, MediaType.APPLICATION_JSON));
        }
    }

    @Override
    public void deposed() {
        emitters.forEach(SseEmitter::complete);
        emitters.clear();
    }

    private void beat() {
        for (SseEmitter emitter : emitters) {
            send(emitter, () -> SseEmitter.event().comment("heartbeat"));
        }
    }

    /** Emitters are written from the leader's stream threads: one write at a time per emitter. */
    private static void send(SseEmitter emitter, Supplier<SseEmitter.SseEventBuilder> event) {
        synchronized (emitter) {
            try {
                emitter.send(event.get());
            } catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e);
            }
        }
    }

    @PreDestroy
    void close() {
        heartbeat.shutdownNow();
        leader.removeListener(this);
        emitters.forEach(SseEmitter::complete);
    }
}
