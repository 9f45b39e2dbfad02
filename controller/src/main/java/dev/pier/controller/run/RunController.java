package dev.pier.controller.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.Job;
import dev.pier.api.LogLine;
import dev.pier.api.NewJob;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.http.PierApiException;
import dev.pier.controller.cluster.ClusterHosts;
import dev.pier.controller.job.JobService;
import dev.pier.web.ApiProblem;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * One-off jobs: {@code POST /apps/{app}/jobs} starts one ({@code pier run}); {@code DELETE /apps/{app}/jobs/{id}}
 * stops a job; {@code GET /apps/{app}/jobs/{id}/log?lines=&follow=} is one job's output as NDJSON
 * {@link LogLine}s, read from its host, which with {@code follow} ends when the job ends.
 */
@RestController
public class RunController {
    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    private final OneOffJobs oneOffJobs;
    private final JobService jobs;
    private final ClusterHosts hosts;
    private final ObjectMapper json;

    public RunController(OneOffJobs oneOffJobs, JobService jobs, ClusterHosts hosts, ObjectMapper json) {
        this.oneOffJobs = oneOffJobs;
        this.jobs = jobs;
        this.hosts = hosts;
        this.json = json;
    }

    @PostMapping("/apps/{app}/jobs")
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "409", description = "the app has no release, or no build, to run")
    @ApiResponse(responseCode = "503", description = "no host has room, or discoverd or the host leader cannot be "
            + "reached")
    public Job run(@PathVariable String app, @RequestBody NewJob request) {
        return oneOffJobs.run(app, request);
    }

    @DeleteMapping("/apps/{app}/jobs/{id}")
    @ApiResponse(responseCode = "200", description = "the job, as it was when its host was asked to stop it")
    @ApiResponse(responseCode = "503", description = "the job's host is not in discoverd or cannot be reached")
    public Job stopJob(@PathVariable String app, @PathVariable String id) {
        return oneOffJobs.stop(app, id);
    }

    @GetMapping("/apps/{app}/jobs/{id}/log")
    @ApiResponse(responseCode = "200", description = "the job's output: one LogLine per line; with follow=true "
            + "until the job ends", content = @Content(mediaType = "application/x-ndjson",
            schema = @Schema(implementation = LogLine.class)))
    @ApiResponse(responseCode = "409", description = "the job has no host yet")
    @ApiResponse(responseCode = "503", description = "discoverd is not configured or cannot be reached")
    public ResponseEntity<StreamingResponseBody> jobLog(@PathVariable String app, @PathVariable String id,
                                                        @RequestParam(required = false) Integer lines,
                                                        @RequestParam(defaultValue = "false") boolean follow) {
        if (lines != null && (lines < 0 || lines > 10_000)) {
            throw ApiProblem.badRequest("lines", "lines must be between 0 and 10000");
        }
        Job job = jobs.get(app, id);
        if (job.hostId() == null) {
            throw ApiProblem.conflict("id", "job " + id + " has no host yet");
        }
        HostAgentClient agent = hosts.agents("job output").get(job.hostId());
        if (agent == null) {
            throw ApiProblem.notFound("host " + job.hostId() + " of job " + id + " is gone, and the job's output with it");
        }
        StreamingResponseBody body = out -> {
            try {
                agent.logs(id, lines, follow, entry -> {
                    try {
                        out.write(json.writeValueAsBytes(new LogLine(entry.timestamp(), app, job.processType(), id,
                                entry.stream(), entry.text())));
                        out.write('\n');
                        out.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e); // the client went away: stop reading
                    }
                });
            } catch (PierApiException | UncheckedIOException e) {
                // the host or the client went away: the stream just ends
            }
        };
        return ResponseEntity.ok().contentType(NDJSON).body(body);
    }
}
