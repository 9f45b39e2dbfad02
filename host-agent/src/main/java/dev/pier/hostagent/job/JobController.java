package dev.pier.hostagent.job;

import dev.pier.api.discoverd.Fence;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import dev.pier.api.host.LogEntry;
import dev.pier.hostagent.HostAgentProperties;
import dev.pier.web.ApiProblem;
import dev.pier.web.fence.LeaderFence;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.hostagent.runtime.LogLine;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The job API: start, stop, list, events (SSE) and logs (NDJSON). */
@RestController
public class JobController {
    private static final Object END = new Object();

    private final JobSupervisor supervisor;
    private final JobEventStream eventStream;
    private final HostAgentProperties properties;
    private final ObjectMapper json;
    private final LeaderFence fence;

    public JobController(JobSupervisor supervisor, JobEventStream eventStream, HostAgentProperties properties,
                         ObjectMapper json, LeaderFence fence) {
        this.fence = fence;
        this.supervisor = supervisor;
        this.eventStream = eventStream;
        this.properties = properties;
        this.json = json;
    }

    @GetMapping("/health")
    public Map<String, String> health() {
        return Map.of("status", "ok", "host_id", supervisor.hostId());
    }

    @GetMapping("/host")
    public HostInfo host() {
        return supervisor.host();
    }

    @PostMapping("/jobs")
    public ResponseEntity<HostJob> start(@RequestBody JobSpec spec,
                                         @RequestHeader(value = Fence.HEADER, required = false) String fenceHeader) {
        JobSpecCheck.problem(spec, properties.totalMemoryMb()).ifPresent(p -> {
            throw ApiProblem.badRequest(p.field(), p.detail());
        });
        fence.check(fenceHeader, "start job " + spec.id() + " on host " + supervisor.hostId());
        boolean known = supervisor.get(spec.id()).isPresent();
        HostJob job = supervisor.start(spec);
        return ResponseEntity.status(known ? HttpStatus.OK : HttpStatus.CREATED).body(job);
    }

    @GetMapping("/jobs")
    public List<HostJob> list() {
        return supervisor.list();
    }

    @GetMapping("/jobs/{id}")
    public HostJob get(@PathVariable String id) {
        return supervisor.get(id).orElseThrow(() -> ApiProblem.notFound("no job " + id + " on host "
                + supervisor.hostId()));
    }

    /** Stops a job; with {@code remove=true}, forgets an ended job and removes its container. */
    @DeleteMapping("/jobs/{id}")
    public ResponseEntity<HostJob> stop(@PathVariable String id,
                                        @RequestParam(defaultValue = "false") boolean remove,
                                        @RequestHeader(value = Fence.HEADER, required = false) String fenceHeader) {
        fence.check(fenceHeader, (remove ? "remove job " : "stop job ") + id + " on host " + supervisor.hostId());
        if (remove) {
            supervisor.remove(id);
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.accepted().body(supervisor.stop(id));
    }

    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events() {
        return eventStream.subscribe();
    }

    @GetMapping(path = "/jobs/{id}/logs")
    public ResponseEntity<StreamingResponseBody> logs(@PathVariable String id,
                                                      @RequestParam(required = false) Integer lines,
                                                      @RequestParam(defaultValue = "false") boolean follow) {
        if (lines != null && (lines < 0 || lines > 100_000)) {
            throw ApiProblem.badRequest("lines", "lines must be between 0 and 100000, not " + lines);
        }
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        Closeable handle = supervisor.logs(id, lines, follow, queue::add, () -> queue.add(END));
        StreamingResponseBody body = out -> {
            try (handle) {
                pump(id, queue, out);
            }
        };
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-ndjson")).body(body);
    }

    private void pump(String id, BlockingQueue<Object> queue, OutputStream out) throws IOException {
        try {
            while (true) {
                Object next = queue.poll(15, TimeUnit.SECONDS);
                if (next == null) {
                    out.write('\n');
                    out.flush();
                    continue;
                }
                if (next == END) {
                    out.flush();
                    return;
                }
                LogLine line = (LogLine) next;
                LogEntry entry = new LogEntry(id, line.stream().name().toLowerCase(Locale.ROOT),
                        line.timestamp(), line.text());
                out.write(json.writeValueAsBytes(entry));
                out.write('\n');
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
