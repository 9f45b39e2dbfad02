package dev.pier.controller.build;

import dev.pier.api.Build;
import dev.pier.api.BuildResult;
import dev.pier.api.Job;
import dev.pier.api.LogLine;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.http.PierApiException;
import dev.pier.controller.ControllerProperties;
import dev.pier.controller.cluster.ClusterHosts;
import dev.pier.controller.job.JobService;
import dev.pier.controller.run.OneOffJobs;
import dev.pier.web.ApiProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Follows each build under way, one thread per build: reads the slug builder's output from its host into the
 * build's {@link BuildLog} (what clients follow), takes the builder's {@code PIER-RESULT} line as the verdict,
 * and ends the build: on success it releases and deploys it ({@link BuildRecords#succeeded}, waiting first for a
 * deployment of the app that is under way), else it fails it with the cause (the builder's error, or how its job
 * ended: out of memory, lost host, ...). It runs whether or not anyone follows the build. A starting controller
 * follows again the builds that were under way when it stopped.
 */
@Component
public class BuildWatcher implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(BuildWatcher.class);
    /** How long a successful build waits for a deployment of its app that is under way, at most. */
    static final Duration DEPLOYMENT_WAIT = Duration.ofMinutes(10);
    /** How often a broken output stream is read again before the build is given up. */
    static final int READ_ATTEMPTS = 5;

    private final BuildRecords records;
    private final ClusterHosts hosts;
    private final JobService jobs;
    private final OneOffJobs oneOffs;
    private final ControllerProperties properties;
    private final Map<UUID, BuildLog> live = new ConcurrentHashMap<>();
    private final ExecutorService followers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "pier-build-follow");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "pier-build-timer");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;

    public BuildWatcher(BuildRecords records, ClusterHosts hosts, JobService jobs, OneOffJobs oneOffs,
                        ControllerProperties properties) {
        this.records = records;
        this.hosts = hosts;
        this.jobs = jobs;
        this.oneOffs = oneOffs;
        this.properties = properties;
    }

    /** Starts following a build whose job runs; its slug, once built, is at {@code slugUri}. */
    public void follow(Build build, String slugUri) {
        BuildLog log = new BuildLog();
        if (live.putIfAbsent(build.id(), log) != null) {
            return;
        }
        followers.execute(() -> {
            try {
                watch(build, slugUri, log);
            } catch (RuntimeException e) {
                if (!running) {
                    // the controller is stopping: the build stays under way, and the next start follows it again
                    LOG.info("event=build_left app={} build={} reason=shutdown", build.app(), build.id());
                    return;
                }
                LOG.error("event=build_watch_failed app={} build={}", build.app(), build.id(), e);
                records.failed(build.id(), "the controller lost track of the build: " + e.getMessage(), log.lines());
            } finally {
                log.end();
                live.remove(build.id());
            }
        });
    }

    /** The output of a build this controller follows now. */
    public Optional<BuildLog> live(UUID buildId) {
        return Optional.ofNullable(live.get(buildId));
    }

    private void watch(Build build, String slugUri, BuildLog log) {
        LOG.info("event=build_following app={} build={} job={} host={}", build.app(), build.id(), build.jobId(),
                build.hostId());
        AtomicBoolean timedOut = new AtomicBoolean();
        Duration limit = properties.buildTimeout().plusMinutes(2); // the builder ends itself at the build timeout
        Instant started = build.startedAt() != null ? build.startedAt() : Instant.now();
        long delay = Math.max(0, Duration.between(Instant.now(), started.plus(limit)).toMillis());
        ScheduledFuture<?> guard = timer.schedule(() -> {
            timedOut.set(true);
            LOG.warn("event=build_timed_out app={} build={} job={}", build.app(), build.id(), build.jobId());
            try {
                oneOffs.stop(build.app(), build.jobId());
            } catch (RuntimeException e) {
                LOG.warn("event=build_stop_failed app={} build={} error=\"{}\"", build.app(), build.id(), e.getMessage());
            }
        }, delay, TimeUnit.MILLISECONDS);
        try {
            BuildOutput output = new BuildOutput(text -> { });
            String lost = read(build, log, output);
            BuildResult result = output.result().orElse(null);
            if (timedOut.get()) {
                records.failed(build.id(), "build failed: it did not finish within "
                        + properties.buildTimeout().toMinutes() + " min", log.lines());
            } else if (lost != null && result == null) {
                records.failed(build.id(), lost, log.lines());
            } else if (result == null) {
                records.failed(build.id(), "build failed: the slug builder ended without a result: " + jobEnd(build),
                        log.lines());
            } else if (!result.succeeded()) {
                records.failed(build.id(), output.failure(), log.lines());
            } else {
                release(build, result, slugUri, log);
            }
        } finally {
            guard.cancel(false);
        }
    }

    /**
     * Reads the builder's output into the log until its result line or its end; reads again after a break,
     * skipping what it has. Returns why the output could not be read to the end, or null.
     */
    private String read(Build build, BuildLog log, BuildOutput output) {
        AtomicInteger seen = new AtomicInteger();
        for (int attempt = 1; ; attempt++) {
            try {
                HostAgentClient agent = hosts.agents("builds").get(build.hostId());
                if (agent == null) {
                    return "build failed: its host " + build.hostId() + " is gone (the build was lost with it)";
                }
                int skip = seen.get();
                AtomicInteger index = new AtomicInteger();
                agent.logsWhile(build.jobId(), null, true, entry -> {
                    if (index.getAndIncrement() < skip) {
                        return true;
                    }
                    seen.incrementAndGet();
                    String text = entry.text() == null ? "" : entry.text().stripTrailing();
                    output.line(text);
                    if (output.result().isPresent()) {
                        return false; // the verdict: the job's exit, a moment later, adds nothing
                    }
                    if (!text.startsWith(Build.RESULT_PREFIX)) {
                        log.append(new LogLine(entry.timestamp(), build.app(), Builds.BUILD, build.jobId(),
                                entry.stream(), text));
                    }
                    return true;
                });
                return null;
            } catch (PierApiException | ApiProblem e) {
                if (attempt >= READ_ATTEMPTS) {
                    return "build failed: its output could not be read from host " + build.hostId() + ": "
                            + e.getMessage();
                }
                LOG.warn("event=build_output_broken app={} build={} attempt={} error=\"{}\"", build.app(), build.id(),
                        attempt, e.getMessage());
                sleep(Duration.ofSeconds(1L << attempt));
            }
        }
    }

    /** How the builder's job ended, as the scheduler reported it (it may take a moment to be reported). */
    private String jobEnd(Build build) {
        Instant deadline = Instant.now().plusSeconds(10);
        Job job = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                job = jobs.get(build.app(), build.jobId());
            } catch (ApiProblem e) {
                return "its job is gone";
            }
            if (job.state().isTerminal()) {
                return "its job " + job.state().wireName() + (job.reason() == null ? "" : " (" + job.reason() + ")");
            }
            sleep(Duration.ofMillis(250));
        }
        return "its output ended while its job was still " + (job == null ? "unknown" : job.state().wireName());
    }

    /** Releases and deploys the build, once no other deployment of the app is under way. */
    private void release(Build build, BuildResult result, String slugUri, BuildLog log) {
        Instant deadline = Instant.now().plus(DEPLOYMENT_WAIT);
        UUID waitedFor = null;
        while (true) {
            BuildRecords.Finish finish;
            try {
                finish = records.succeeded(build.id(), result, slugUri, log.lines());
            } catch (ApiProblem e) {
                records.failed(build.id(), "the build succeeded but could not be released: " + e.getMessage(),
                        log.lines());
                return;
            }
            if (finish.waitFor() == null) {
                LOG.info("event=build_succeeded app={} build={} release={} deployment={}", build.app(), build.id(),
                        finish.build().releaseId(), finish.build().deploymentId());
                return;
            }
            if (!finish.waitFor().equals(waitedFor)) {
                waitedFor = finish.waitFor();
                log.append(new LogLine(Instant.now(), build.app(), Builds.BUILD, build.jobId(), "stdout",
                        "-----> Waiting for deployment " + waitedFor + " of " + build.app() + " to finish"));
            }
            if (Instant.now().isAfter(deadline)) {
                records.failed(build.id(), "the build succeeded, but deployment " + waitedFor + " of " + build.app()
                        + " was still under way after " + DEPLOYMENT_WAIT.toMinutes() + " min", log.lines());
                return;
            }
            sleep(Duration.ofMillis(500));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Follows again the builds that were under way when the controller stopped. */
    @Override
    public void start() {
        running = true;
        for (BuildRecords.Active active : records.active()) {
            Build build = active.build();
            if (build.jobId() == null) {
                records.failed(build.id(), "build failed: the controller stopped before its job started", null);
            } else {
                LOG.info("event=build_resumed app={} build={}", build.app(), build.id());
                follow(build, properties.jobBlobUrl(active.slugPath()));
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        timer.shutdownNow();
        followers.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server takes requests, so a build under way is followed again before anyone asks for it. */
    @Override
    public int getPhase() {
        return 0;
    }
}
