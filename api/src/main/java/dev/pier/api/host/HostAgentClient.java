package dev.pier.api.host;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.pier.api.attach.AttachSocket;
import dev.pier.api.discoverd.Fence;
import dev.pier.api.http.JsonHttpClient;
import dev.pier.api.http.PierApiException;
import dev.pier.api.http.ServerSentEvent;
import dev.pier.api.http.SseReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Typed client of a host agent's job API (used by the scheduler, the controller and the host leader). */
public class HostAgentClient extends JsonHttpClient {

    public HostAgentClient(URI base, String clusterKey, Duration timeout) {
        super(base, clusterKey, timeout);
    }

    public HostAgentClient(URI base, String clusterKey) {
        this(base, clusterKey, DEFAULT_TIMEOUT);
    }

    /** Starts a job (idempotent on its id); a job that cannot start comes back {@code failed} with a reason. */
    public HostJob start(JobSpec spec) {
        return start(spec, null);
    }

    /**
     * {@link #start(JobSpec)} as a leader: with {@code fence} (null: none) in the {@value Fence#HEADER} header, the
     * agent starts the job only if that fence is the current leader's (a deposed one's gets a 409, see
     * {@link #isFenced}).
     */
    public HostJob start(JobSpec spec, Fence fence) {
        // the agent starts a job once however often its start comes: a start whose connection broke is sent again
        return send(withBody(fenced(request("/jobs"), fence).header(IDEMPOTENCY_KEY, spec.id()), "POST", spec),
                json().constructType(HostJob.class));
    }

    /** Stops a job: SIGTERM, SIGKILL after the agent's grace period. Returns the job, now stopping or ended. */
    public HostJob stop(String jobId) {
        return stop(jobId, null);
    }

    /** {@link #stop(String)} as a leader holding {@code fence} (null: none). */
    public HostJob stop(String jobId, Fence fence) {
        return send(fenced(request("/jobs/" + encode(jobId)), fence).DELETE().build(),
                json().constructType(HostJob.class));
    }

    /** Forgets an ended job and removes its container (and logs). */
    public void remove(String jobId) {
        remove(jobId, null);
    }

    /** {@link #remove(String)} as a leader holding {@code fence} (null: none). */
    public void remove(String jobId, Fence fence) {
        send(fenced(request("/jobs/" + encode(jobId) + "?remove=true"), fence).DELETE().build(), null);
    }

    /**
     * Whether an agent refused a change because the fence sent with it is not the current leader's (409), or
     * because the agent could not confirm who leads (503): either way the sender must not act as the leader.
     */
    public static boolean isFenced(PierApiException e) {
        return dev.pier.api.discoverd.Fencing.isRefusal(e);
    }

    private static java.net.http.HttpRequest.Builder fenced(java.net.http.HttpRequest.Builder request, Fence fence) {
        return fence == null ? request : request.header(Fence.HEADER, fence.header());
    }

    public HostJob job(String jobId) {
        return get("/jobs/" + encode(jobId), HostJob.class);
    }

    public List<HostJob> jobs() {
        return get("/jobs", new TypeReference<List<HostJob>>() {
        });
    }

    /**
     * The WebSocket URI of {@code GET /jobs/{id}/attach} (send the cluster key as {@code Authorization: Bearer}):
     * binary frames carry stdin and output, a text frame {@code {"resize":{"columns":C,"rows":R}}} resizes the TTY.
     */
    public URI attachUri(String jobId) {
        return webSocketUri(attachPath(jobId));
    }

    /**
     * Attaches to an interactive job ({@link dev.pier.api.attach.AttachProtocol}); an interactive job's container
     * starts when its first attach opens, so the first attacher sees all of its output.
     */
    public CompletableFuture<AttachSocket> attach(String jobId, AttachSocket.Handler handler) {
        return attachSocket(attachPath(jobId), handler);
    }

    private static String attachPath(String jobId) {
        return "/jobs/" + encode(jobId) + "/attach";
    }

    public HostInfo host() {
        return get("/host", HostInfo.class);
    }

    /** The host's volumes, each with the job that mounts it now. */
    public List<HostVolume> volumes() {
        return get("/volumes", new TypeReference<List<HostVolume>>() {
        });
    }

    /** Deletes a volume and its data (409 while a job that has not ended mounts it, 404 when unknown). */
    public void deleteVolume(String name) {
        delete("/volumes/" + encode(name));
    }

    /** The cluster view; only the host leader has one (others answer 503 naming the leader). */
    public ClusterView cluster() {
        return get("/cluster", ClusterView.class);
    }

    /** A standby agent's last copy of the leader's view (the leader answers its own view). */
    public ClusterView standbyCluster() {
        return get("/cluster?standby=true", ClusterView.class);
    }

    /** Handlers for {@link #events}: every job change, and the host's own description. */
    public interface EventListener {
        void job(HostJob job);

        default void host(HostInfo host) {
        }

        /** An ended job was removed from the host (with its container and logs). */
        default void removed(String jobId) {
        }

        /**
         * The snapshot that opens the stream is complete: every job the host has was sent, so one not sent is not
         * on the host. Changes follow.
         */
        default void synced() {
        }
    }

    /**
     * Follows {@code GET /events} on a daemon thread: first the host and the state of every job, then
     * {@link EventListener#synced}, then each change. {@code onEnd} runs once when the stream ends or breaks (with the failure, or null); closing the
     * returned handle stops following.
     */
    public Closeable events(EventListener listener, Consumer<Exception> onEnd) {
        return follow("/events", event -> dispatch(listener, event.event(), event.data()), onEnd);
    }

    /**
     * Follows the host leader's {@code GET /cluster/events} on a daemon thread: each change of its cluster view.
     * {@code onEnd} runs once when the stream ends or breaks (the agent stopped leading, or died); closing the
     * returned handle stops following.
     */
    public Closeable clusterChanges(Consumer<ClusterChange> listener, Consumer<Exception> onEnd) {
        return follow("/cluster/events", event -> {
            if ("change".equals(event.event())) {
                try {
                    listener.accept(json().readValue(event.data(), ClusterChange.class));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, onEnd);
    }

    private Closeable follow(String path, Consumer<ServerSentEvent> handler, Consumer<Exception> onEnd) {
        AtomicReference<InputStream> stream = new AtomicReference<>();
        AtomicBoolean closed = new AtomicBoolean();
        Thread thread = new Thread(() -> {
            Exception failure = null;
            try {
                InputStream in = openStream(request(path).timeout(Duration.ofDays(365))
                        .setHeader("Accept", "text/event-stream").GET().build());
                stream.set(in);
                if (closed.get()) {
                    in.close();
                    return;
                }
                try (in) {
                    new SseReader(in).readAll(handler, () -> {
                    });
                }
            } catch (Exception e) {
                failure = e;
            } finally {
                onEnd.accept(closed.get() ? null : failure);
            }
        }, "pier-host-events-" + base().getPort());
        thread.setDaemon(true);
        thread.start();
        return () -> {
            closed.set(true);
            InputStream in = stream.get();
            if (in != null) {
                in.close();
            }
            thread.interrupt();
        };
    }

    private void dispatch(EventListener listener, String event, String data) {
        try {
            if ("host".equals(event)) {
                listener.host(json().readValue(data, HostInfo.class));
            } else if ("job".equals(event)) {
                listener.job(json().readValue(data, HostJob.class));
            } else if ("removed".equals(event)) {
                listener.removed(json().readTree(data).path("id").asText());
            } else if ("synced".equals(event)) {
                listener.synced();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a job's output: the last {@code lines} lines ({@code null}: all), then with {@code follow} new ones
     * until the job ends. Runs on the calling thread; returns when the stream ends.
     */
    public void logs(String jobId, Integer lines, boolean follow, Consumer<LogEntry> sink) {
        logsWhile(jobId, lines, follow, entry -> {
            sink.accept(entry);
            return true;
        });
    }

    /** As {@link #logs}, but stops reading (and closes the stream) as soon as {@code sink} answers false. */
    public void logsWhile(String jobId, Integer lines, boolean follow, java.util.function.Predicate<LogEntry> sink) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("lines", lines);
        query.put("follow", follow);
        String path = withQuery("/jobs/" + encode(jobId) + "/logs", query);
        readNdjsonWhile(request(path).timeout(Duration.ofDays(365)).setHeader("Accept", "application/x-ndjson").GET()
                .build(), LogEntry.class, sink, "log stream of job " + jobId);
    }

}
