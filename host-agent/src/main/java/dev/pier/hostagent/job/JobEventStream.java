package dev.pier.hostagent.job;

import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import dev.pier.hostagent.sse.SseSubscribers;
import jakarta.annotation.PreDestroy;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /events}: to each subscriber, the host and every job as they are now, then {@code event: synced} (the
 * snapshot is complete: a job not in it is not on this host), then every change, as Server-Sent Events
 * ({@code event: job}, {@code event: host}, and {@code event: removed} with the id of an ended job that was
 * removed; JSON data), with a heartbeat comment every 10 s so dead connections are noticed.
 */
@Component
public class JobEventStream implements JobSupervisor.Listener {
    private final JobSupervisor supervisor;
    private final SseSubscribers subscribers;

    public JobEventStream(JobSupervisor supervisor) {
        this.supervisor = supervisor;
        this.subscribers = new SseSubscribers("pier-sse-heartbeat", supervisor::onEventThread);
        supervisor.addListener(this);
    }

    public SseEmitter subscribe() {
        SseEmitter emitter = subscribers.open();
        // On the event thread: no change can slip between the snapshot and the stream joining the others.
        supervisor.onEventThread(() -> {
            boolean open = SseSubscribers.send(emitter, event("host", supervisor.host()));
            for (HostJob job : supervisor.list()) {
                open = open && SseSubscribers.send(emitter, event("job", job));
            }
            open = open && SseSubscribers.send(emitter, event("synced", Map.of("host_id", supervisor.hostId())));
            if (open) {
                subscribers.add(emitter);
            }
        });
        return emitter;
    }

    @Override
    public void job(HostJob job) {
        subscribers.sendAll(() -> event("job", job));
    }

    @Override
    public void host(HostInfo host) {
        subscribers.sendAll(() -> event("host", host));
    }

    @Override
    public void removed(String jobId) {
        subscribers.sendAll(() -> event("removed", Map.of("id", jobId)));
    }

    private static SseEmitter.SseEventBuilder event(String name, Object data) {
        return SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON);
    }

    @PreDestroy
    void close() {
        supervisor.removeListener(this);
        subscribers.close();
    }
}
