package dev.pier.controller.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.Build;
import dev.pier.api.LogLine;
import dev.pier.api.NewBuild;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Builds ({@code /apps/{app}/builds}): start one on a source tarball; list them, newest first; get one; read its
 * output, one JSON {@link LogLine} per line ({@code application/x-ndjson}), with {@code follow=true} until the
 * build ends (released, or failed).
 */
@RestController
public class BuildController {
    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    /** A follower that gets no line for this long gets a blank line, which tells a client that left apart. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final Builds builds;
    private final BuildRecords records;
    private final BuildWatcher watcher;
    private final ObjectMapper json;

    public BuildController(Builds builds, BuildRecords records, BuildWatcher watcher, ObjectMapper json) {
        this.builds = builds;
        this.records = records;
        this.watcher = watcher;
        this.json = json;
    }

    @PostMapping("/apps/{app}/builds")
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "503", description = "no host has room, or discoverd or the host leader cannot be "
            + "reached")
    public Build startBuild(@PathVariable String app, @RequestBody NewBuild request) {
        return builds.start(app, request);
    }

    @GetMapping("/apps/{app}/builds")
    public List<Build> listBuilds(@PathVariable String app, @RequestParam(defaultValue = "100") int limit) {
        return builds.list(app, limit);
    }

    @GetMapping("/apps/{app}/builds/{id}")
    public Build getBuild(@PathVariable String app, @PathVariable String id) {
        return builds.get(app, id);
    }

    @GetMapping("/apps/{app}/builds/{id}/log")
    @ApiResponse(responseCode = "200", description = "the build's output: one LogLine per line; with follow=true "
            + "the stream goes on until the build ends", content = @Content(mediaType = "application/x-ndjson",
            schema = @Schema(implementation = LogLine.class)))
    public ResponseEntity<StreamingResponseBody> buildLog(@PathVariable String app, @PathVariable String id,
                                                     @RequestParam(defaultValue = "false") boolean follow) {
        Build build = builds.get(app, id);
        Optional<BuildLog> live = watcher.live(build.id());
        StreamingResponseBody body = out -> {
            if (live.isPresent()) {
                AtomicBoolean open = new AtomicBoolean(true);
                try {
                    live.get().read(follow, line -> write(out, line, open), open::get, KEEP_ALIVE, () -> {
                        try {
                            out.write('\n');
                            out.flush();
                        } catch (IOException e) {
                            open.set(false);
                        }
                    });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            // finished (or under way in another controller, which keeps its output until it ends)
            AtomicBoolean open = new AtomicBoolean(true);
            for (LogLine line : records.output(build.id())) {
                write(out, line, open);
            }
        };
        return ResponseEntity.ok().contentType(NDJSON).body(body);
    }

    private void write(OutputStream out, LogLine line, AtomicBoolean open) {
        if (!open.get()) {
            return;
        }
        try {
            out.write(json.writeValueAsBytes(line));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            open.set(false); // the client went away: the build goes on
        }
    }
}
