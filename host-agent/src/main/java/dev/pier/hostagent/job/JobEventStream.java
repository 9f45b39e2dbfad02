package dev.pier.hostagent.job;

import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
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
 * {@code GET /events}: to each subscriber, the host and every job as they are now, then every change, as
 * Server-Sent Events ({@code event: job}, {@code event: host}, and {@code event: removed} with the id of an
 * ended job that was removed; JSON data), with a heartbeat comment every
 * 10 s so dead connections are noticed.
 */
@Component
public class JobEventStream implements JobSupervisor.Listener {
    private final JobSupervisor supervisor;
    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "pier-sse-heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    public JobEventStream(JobSupervisor supervisor) {
        this.supervisor = supervisor;
        supervisor.addListener(this);
        heartbeat.scheduleWithFixedDelay(() -> supervisor.onEventThread(this::beat), 10, 10, TimeUnit.SECONDS);
    }

    public SseEmitter subscribe() {
        SseEmitter emitter = new SseEmitter(0L);
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(() -> emitters.remove(emitter));
        emitter.onError(e -> emitters.remove(emitter));
        supervisor.onEventThread(() -> {
            try {
                emitter.send(SseEmitter.event().name("host").data(supervisor.host(), MediaType.APPLICATION_JSON));
                for (HostJob job : supervisor.list()) {
                    emitter.send(SseEmitter.event().name("job").data(job, MediaType.APPLICATION_JSON));
                }
                emitters.add(emitter);
            } catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e);
            }
        });
        return emitter;
    }

    @Override
    public void job(HostJob job) {
        send(() -> SseEmitter.event().name("job").data(job, MediaType.APPLICATION_JSON));
    }

    @Override
    public void host(HostInfo host) {
        send(() -> SseEmitter.event().name("host").data(host, MediaType.APPLICATION_JSON));
    }

    @Override
    public void removed(String jobId) {
        send(() -> SseEmitter.event().name("removed").data(java.util.Map.of("id", jobId), MediaType.APPLICATION_JSON));
    }

    private void beat() {
        send(() -> SseEmitter.event().comment("heartbeat"));
    }

    /** Builds the event once per subscriber: a built SSE event cannot be sent twice. */
    private void send(Supplier<SseEmitter.SseEventBuilder> event) {
        for (SseEmitter emitter : emitters) {
            try {
                emitter.send(event.get());
            } catch (IOException | IllegalStateException e) {
                emitters.remove(emitter);
                emitter.completeWithError(e);
            }
        }
    }

    @PreDestroy
    void close() {
        heartbeat.shutdownNow();
        supervisor.removeListener(this);
        emitters.forEach(SseEmitter::complete);
    }
}
