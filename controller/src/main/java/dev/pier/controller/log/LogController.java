package dev.pier.controller.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.LogLine;
import dev.pier.api.Names;
import dev.pier.controller.app.Apps;
import dev.pier.controller.support.Input;
import dev.pier.web.ApiProblem;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /apps/{app}/log?lines=100&process=web&follow=false}: the app's output, one JSON {@link LogLine}
 * per line ({@code application/x-ndjson}); with {@code follow=true} the stream stays open and carries new lines,
 * jobs that start later included, until the client goes away.
 */
@RestController
public class LogController {
    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    private final AppLog log;
    private final Apps apps;
    private final ObjectMapper json;

    public LogController(AppLog log, Apps apps, ObjectMapper json) {
        this.log = log;
        this.apps = apps;
        this.json = json;
    }

    @GetMapping("/apps/{app}/log")
    @ApiResponse(responseCode = "200", description = "the app's output: one LogLine per line; with follow=true the "
            + "stream goes on", content = @Content(mediaType = "application/x-ndjson",
            schema = @Schema(implementation = LogLine.class)))
    @ApiResponse(responseCode = "503", description = "discoverd is not configured or cannot be reached")
    public ResponseEntity<StreamingResponseBody> appLog(@PathVariable String app,
                                                        @RequestParam(defaultValue = "100") int lines,
                                                        @RequestParam(required = false) String process,
                                                        @RequestParam(defaultValue = "false") boolean follow) {
        apps.live(app);
        if (lines < 0 || lines > 10_000) {
            throw ApiProblem.badRequest("lines", "lines must be between 0 and 10000");
        }
        if (process != null) {
            Input.check("process", Names.problemWithProcessType(process));
        }
        var tail = log.tail(app, process, lines);
        StreamingResponseBody body = out -> {
            for (LogLine line : tail) {
                write(out, line);
            }
            out.flush();
            if (follow) {
                follow(app, process, out);
            }
        };
        return ResponseEntity.ok().contentType(NDJSON).body(body);
    }

    private void follow(String app, String process, OutputStream out) throws IOException {
        BlockingQueue<LogLine> queue = new LinkedBlockingQueue<>(10_000);
        AtomicBoolean open = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            try {
                log.follow(app, process, queue, open::get);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                open.set(false);
            }
        }, "pier-log-" + app);
        watcher.setDaemon(true);
        watcher.start();
        try {
            while (open.get()) {
                LogLine line = queue.poll(15, TimeUnit.SECONDS);
                if (line != null) {
                    write(out, line);
                } else {
                    out.write('\n'); // keep-alive: tells a dead client apart
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.set(false);
            watcher.interrupt();
        }
    }

    private void write(OutputStream out, LogLine line) throws IOException {
        out.write(json.writeValueAsBytes(line));
        out.write('\n');
    }
}
