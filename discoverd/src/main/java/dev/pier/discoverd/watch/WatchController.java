package dev.pier.discoverd.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.discoverd.ServiceEvent;
import dev.pier.api.http.Json;
import dev.pier.discoverd.DiscoverdProperties;
import dev.pier.discoverd.registry.Input;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /services/{service}/instances} with {@code Accept: text/event-stream} or {@code ?watch=true}: the
 * service's events as Server-Sent Events, {@code current} first, with a heartbeat comment every
 * {@code pier.discoverd.watch-heartbeat}. A subscriber that falls {@value #BACKLOG} events behind is cut off (it
 * reconnects and gets a fresh snapshot).
 */
@RestController
public class WatchController {
    static final int BACKLOG = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(WatchController.class);
    private static final ServiceEvent OVERFLOW = ServiceEvent.current("", java.util.List.of(), null, -1);

    private final Mirror mirror;
    private final DiscoverdProperties properties;
    private final ObjectMapper json = Json.mapper();

    public WatchController(Mirror mirror, DiscoverdProperties properties) {
        this.mirror = mirror;
        this.properties = properties;
    }

    @GetMapping(value = "/services/{service}/instances", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<StreamingResponseBody> stream(@PathVariable String service) {
        return watch(service);
    }

    @GetMapping(value = "/services/{service}/instances", params = "watch=true")
    public ResponseEntity<StreamingResponseBody> watch(@PathVariable String service) {
        Input.service(service);
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no")
                .body(out -> write(service, out));
    }

    private void write(String service, OutputStream out) throws IOException {
        BlockingQueue<ServiceEvent> queue = new ArrayBlockingQueue<>(BACKLOG + 1);
        AtomicBoolean overflowed = new AtomicBoolean();
        long heartbeatMs = properties.watchHeartbeat().toMillis();
        LOG.info("event=watch_opened service={}", service);
        try (Mirror.Subscription ignored = mirror.subscribe(service, event -> {
            if (!overflowed.get() && !queue.offer(event)) {
                overflowed.set(true);
                queue.clear();
                queue.offer(OVERFLOW);
            }
        })) {
            long lastWrite = System.nanoTime();
            while (!mirror.isClosed()) {
                // short polls so that a shutting-down discoverd ends its streams promptly
                ServiceEvent event = queue.poll(Math.min(heartbeatMs, 250), TimeUnit.MILLISECONDS);
                if (event == OVERFLOW) {
                    LOG.warn("event=watch_overflow service={} backlog={}", service, BACKLOG);
                    return;
                }
                if (event == null && System.nanoTime() - lastWrite < TimeUnit.MILLISECONDS.toNanos(heartbeatMs)) {
                    continue;
                }
                String frame = event == null ? ": heartbeat\n\n"
                        : "id: " + event.revision() + "\nevent: " + event.kind().wire() + "\ndata: "
                                + json.writeValueAsString(event) + "\n\n";
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
                lastWrite = System.nanoTime();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the watcher went away
        } finally {
            LOG.info("event=watch_closed service={}", service);
        }
    }
}
