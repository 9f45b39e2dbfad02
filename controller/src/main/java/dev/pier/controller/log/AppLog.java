package dev.pier.controller.log;

import dev.pier.api.Job;
import dev.pier.api.LogLine;
import dev.pier.api.OutOfMemory;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.http.PierApiException;
import dev.pier.controller.cluster.ClusterHosts;
import dev.pier.controller.job.JobService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * An app's log, merged from the host agents that run (or ran) its jobs. The controller finds each job's host
 * through discoverd ({@code pier-host} instances carry the agent's URL) and reads the job's output there. A job the
 * kernel killed for memory gets a line of the platform's own (stream {@code pier}) saying so, where its output ends.
 */
@Component
public class AppLog {
    private static final Logger LOG = LoggerFactory.getLogger(AppLog.class);
    /** Ended jobs stay in the log this long, so a crash can be read. */
    static final Duration RECENT = Duration.ofMinutes(10);

    private final JobService jobs;
    private final ClusterHosts hosts;
    private final ExecutorService followers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "pier-log-follow");
        thread.setDaemon(true);
        return thread;
    });

    public AppLog(JobService jobs, ClusterHosts hosts) {
        this.jobs = jobs;
        this.hosts = hosts;
    }

    /** The jobs whose output belongs in the log: running ones and those that ended recently. */
    List<Job> jobsOf(String app, String processType, Instant now) {
        Predicate<Job> wanted = job -> (processType == null || processType.equals(job.processType()))
                && (job.state().isActive() || job.state() == dev.pier.api.JobState.STOPPING
                || job.updatedAt().isAfter(now.minus(RECENT)));
        return jobs.list(app, false).stream().filter(wanted).filter(j -> j.hostId() != null).toList();
    }

    private Map<String, HostAgentClient> hosts() {
        return hosts.agents("app logs");
    }

    /** The last {@code lines} lines of the app's jobs, merged by time. */
    public List<LogLine> tail(String app, String processType, int lines) {
        Map<String, HostAgentClient> agents = hosts();
        List<LogLine> merged = new ArrayList<>();
        for (Job job : jobsOf(app, processType, Instant.now())) {
            HostAgentClient agent = agents.get(job.hostId());
            if (agent == null) {
                continue; // its host is gone, and its output with it
            }
            try {
                agent.logs(job.id(), lines, false, entry -> merged.add(line(app, job, entry)));
            } catch (PierApiException e) {
                LOG.debug("event=log_read_failed app={} job={} error=\"{}\"", app, job.id(), e.getMessage());
            }
        }
        for (Job job : jobsOf(app, processType, Instant.now())) {
            outOfMemory(app, job).ifPresent(merged::add);
        }
        merged.sort(Comparator.comparing(LogLine::timestamp, Comparator.nullsFirst(Comparator.naturalOrder())));
        return merged.size() <= lines ? merged : merged.subList(merged.size() - lines, merged.size());
    }

    /**
     * Follows the app's log: every current job's new lines, and jobs that start later, until {@code open}
     * turns false (the client went away). Lines go to {@code sink} from several threads, one at a time.
     */
    public void follow(String app, String processType, BlockingQueue<LogLine> sink, java.util.function.BooleanSupplier open)
            throws InterruptedException {
        Set<String> followed = ConcurrentHashMap.newKeySet();
        // Jobs running when the follow begins: their past lines were sent with the tail; later jobs: from the start.
        Set<String> atStart = new java.util.HashSet<>();
        Set<String> killedAtStart = new java.util.HashSet<>();
        jobsOf(app, processType, Instant.now()).forEach(job -> {
            atStart.add(job.id());
            outOfMemory(app, job).ifPresent(l -> killedAtStart.add(job.id()));
        });
        while (open.getAsBoolean()) {
            Map<String, HostAgentClient> agents = hosts();
            for (Job job : jobsOf(app, processType, Instant.now())) {
                // a job killed for memory since the follow began: said once (the tail said those before)
                if (!killedAtStart.contains(job.id())) {
                    outOfMemory(app, job).ifPresent(line -> {
                        killedAtStart.add(job.id());
                        sink.offer(line);
                    });
                }
                HostAgentClient agent = agents.get(job.hostId());
                boolean onHost = job.state() == dev.pier.api.JobState.STARTING || job.state() == dev.pier.api.JobState.UP;
                if (agent == null || !onHost || !followed.add(job.id())) {
                    continue;
                }
                Integer lines = atStart.contains(job.id()) ? 0 : null;
                Consumer<dev.pier.api.host.LogEntry> forward = entry -> {
                    if (open.getAsBoolean()) {
                        sink.offer(line(app, job, entry));
                    }
                };
                followers.execute(() -> {
                    try {
                        agent.logs(job.id(), lines, true, forward);
                    } catch (PierApiException e) {
                        followed.remove(job.id()); // not on its host yet, or the host hiccuped: try again
                        LOG.debug("event=log_follow_ended app={} job={} error=\"{}\"", app, job.id(), e.getMessage());
                    }
                });
            }
            Thread.sleep(1000);
        }
    }

    /** The platform's line for a job that the kernel killed for memory, when it was. */
    static java.util.Optional<LogLine> outOfMemory(String app, Job job) {
        if (job.state() != dev.pier.api.JobState.CRASHED || !OutOfMemory.is(job.reason())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new LogLine(job.updatedAt(), app, job.processType(), job.id(), "pier",
                "process killed: " + job.reason() + (job.exitStatus() == null ? "" : " (exit " + job.exitStatus() + ")")
                        + "; give it more with 'pier scale " + job.processType() + "=<count>:<size>'"));
    }

    private static LogLine line(String app, Job job, dev.pier.api.host.LogEntry entry) {
        return new LogLine(entry.timestamp(), app, job.processType(), job.id(), entry.stream(), entry.text());
    }
}
