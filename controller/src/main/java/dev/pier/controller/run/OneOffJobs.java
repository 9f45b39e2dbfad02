package dev.pier.controller.run;

import dev.pier.api.Artifact;
import dev.pier.api.Job;
import dev.pier.api.JobReport;
import dev.pier.api.JobState;
import dev.pier.api.NewJob;
import dev.pier.api.Release;
import dev.pier.api.blob.BlobSignature;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.JobSpec;
import dev.pier.api.host.JobSpecs;
import dev.pier.api.http.PierApiException;
import dev.pier.controller.ControllerProperties;
import dev.pier.controller.artifact.ArtifactService;
import dev.pier.controller.cluster.ClusterHosts;
import dev.pier.controller.cluster.HostChoice;
import dev.pier.controller.job.JobService;
import dev.pier.controller.release.ReleaseService;
import dev.pier.controller.support.Input;
import dev.pier.web.ApiProblem;
import java.time.Duration;
import java.time.Instant;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * One-off jobs ({@code pier run}, and the slug builder): placed by the controller itself on the live host with
 * the most free memory, recorded {@code pending} with that host, then started there. The scheduler reports
 * their later states like any job's, but never counts them in a formation (they carry no release id on
 * their host). A job that could not be started is recorded {@code failed} with the host's reason.
 */
@Service
public class OneOffJobs {
    private static final Logger LOG = LoggerFactory.getLogger(OneOffJobs.class);
    static final int MAX_ARGS = 256;
    static final int MAX_COMMAND_CHARS = 64 * 1024;
    /** A job fetches its slug once, as it starts. */
    static final Duration SLUG_URL_TTL = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ClusterHosts hosts;
    private final JobService jobs;
    private final ReleaseService releases;
    private final ArtifactService artifacts;
    private final ControllerProperties properties;
    private final BlobSignature signature;

    public OneOffJobs(ClusterHosts hosts, JobService jobs, ReleaseService releases, ArtifactService artifacts,
                      ControllerProperties properties, @Value("${pier.cluster-key}") String clusterKey) {
        this.hosts = hosts;
        this.jobs = jobs;
        this.releases = releases;
        this.artifacts = artifacts;
        this.properties = properties;
        this.signature = new BlobSignature(clusterKey);
    }

    /** {@code POST /apps/{app}/jobs}: runs {@code request.command()} in a release of the app. */
    public Job run(String app, NewJob request) {
        Input.appName("app", app);
        Input.required("body", request);
        List<String> command = command(request.command());
        Map<String, String> env = Input.env("env", request.env());
        int memory = request.memoryMb() == null ? properties.runMemoryMb() : request.memoryMb();
        if (memory < 6 || memory > 64 * 1024) {
            throw ApiProblem.badRequest("memory_mb", "memory_mb must be between 6 and 65536");
        }
        Release release = request.releaseId() == null ? current(app) : releases.get(app, request.releaseId().toString());
        Artifact artifact = release.artifactId() == null ? null : artifacts.get(release.artifactId().toString());
        String jobId = newJobId(app, JobSpecs.RUN);
        StringBuilder why = new StringBuilder();
        JobSpec spec = JobSpecs.forOneOff(jobId, release, artifact, command, env, memory,
                        properties.slugRunnerImage(), this::signedSlugUrl, Boolean.TRUE.equals(request.interactive()),
                        Boolean.TRUE.equals(request.tty()), why)
                .orElseThrow(() -> ApiProblem.conflict("release_id", why.toString()));
        return start(app, release, spec);
    }

    /** Places {@code spec} on a host, records it and starts it there; a build has no release. */
    public Job start(String app, Release release, JobSpec spec) {
        int memory = spec.memoryMb() == null ? properties.runMemoryMb() : spec.memoryMb();
        ClusterView view = hosts.view("one-off jobs");
        ClusterView.Host host = HostChoice.pick(view, memory).orElseThrow(() -> ApiProblem.unavailable(
                "no live host has " + memory + " MB of memory free for the job (hosts: " + view.hosts().size() + ")"));
        jobs.open(app, spec.id(), release == null ? null : release.id(), spec.processType(), host.id());
        HostChoice.Outcome outcome = HostChoice.place(view, memory, host, new HostChoice.Attempts() {
            @Override
            public HostChoice.Answer start(ClusterView.Host on) {
                try {
                    hosts.client(on.url()).start(spec);
                    return HostChoice.Answer.STARTED;
                } catch (PierApiException e) {
                    return HostChoice.Answer.refused("could not start on host " + on.id() + ": " + e.getMessage(),
                            neverReachedTheJob(e));
                }
            }

            @Override
            public void moved(ClusterView.Host from, String reason, ClusterView.Host to) {
                LOG.info("event=one_off_moved app={} job={} from={} to={} reason=\"{}\"", app, spec.id(), from.id(),
                        to.id(), reason);
                jobs.report(app, spec.id(), new JobReport(null, null, to.id(), JobState.PENDING, null, null, null,
                        null, null));
            }
        });
        if (!outcome.started()) {
            String reason = String.join("; ", outcome.refusals());
            jobs.report(app, spec.id(), new JobReport(null, null, null, JobState.FAILED, reason, null, null, null, null));
            LOG.warn("event=one_off_failed app={} job={} reason=\"{}\"", app, spec.id(), reason);
            throw ApiProblem.unavailable(reason);
        }
        LOG.info("event=one_off_started app={} job={} type={} host={}", app, spec.id(), spec.processType(),
                outcome.host().id());
        return jobs.get(app, spec.id());
    }

    /**
     * Whether a failed start left the job unstarted for certain, so that another host may take it: the agent refused
     * it (503: full after all, as it admits against what it holds while the view can be a moment old, or stopping),
     * or the connection to it was never made. Not when the request may have reached it (no answer in time, a broken
     * answer): the job may run there, and starting it elsewhere too would run it twice.
     */
    static boolean neverReachedTheJob(PierApiException e) {
        if (e.status() == 503) {
            return true;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.http.HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Stops a job on its host ({@code DELETE /apps/{app}/jobs/{id}}); the scheduler reports it going down. */
    public Job stop(String app, String jobId) {
        Job job = jobs.get(app, jobId);
        if (job.state().isTerminal()) {
            return job;
        }
        HostAgentClient agent = hosts.agents("stopping jobs").get(job.hostId());
        if (agent == null) {
            throw ApiProblem.unavailable("host " + job.hostId() + " of job " + jobId + " is not in discoverd");
        }
        try {
            agent.stop(jobId);
        } catch (PierApiException e) {
            if (!e.isNotFound()) {
                throw ApiProblem.unavailable("host " + job.hostId() + " could not stop job " + jobId + ": " + e.getMessage());
            }
        }
        return jobs.get(app, jobId);
    }

    private Release current(String app) {
        return releases.currentIfAny(app).orElseThrow(() -> ApiProblem.conflict("release_id",
                "app '" + app + "' has no release yet: push code first"));
    }

    String signedSlugUrl(String uri) {
        return signature.signUrl("GET", uri, Instant.now().plus(SLUG_URL_TTL));
    }

    /** {@code <app>-<type>-<10 hex>}: unique, and readable in {@code docker ps} and logs. */
    public static String newJobId(String app, String type) {
        byte[] random = new byte[5];
        RANDOM.nextBytes(random);
        return app + "-" + type + "-" + HexFormat.of().formatHex(random);
    }

    static List<String> command(List<String> command) {
        if (command == null || command.isEmpty()) {
            throw ApiProblem.badRequest("command", "command is required: the program to run and its arguments");
        }
        if (command.size() > MAX_ARGS) {
            throw ApiProblem.badRequest("command", "command has more than " + MAX_ARGS + " arguments");
        }
        int total = 0;
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg == null || arg.indexOf('\0') >= 0) {
                throw ApiProblem.badRequest("command[" + i + "]", "command[" + i + "] must be a string with no NUL");
            }
            total += arg.length();
        }
        if (command.get(0).isBlank()) {
            throw ApiProblem.badRequest("command[0]", "command[0] (the program) is empty");
        }
        if (total > MAX_COMMAND_CHARS) {
            throw ApiProblem.badRequest("command", "command is longer than " + MAX_COMMAND_CHARS + " characters");
        }
        return List.copyOf(command);
    }
}
