package dev.pier.cli.command;

import dev.pier.api.Job;
import dev.pier.api.JobState;
import dev.pier.api.OutOfMemory;
import dev.pier.cli.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ps", description = "List the app's jobs.")
public class PsCommand extends PierCommand {
    @Option(names = "--all", description = "include jobs that have ended")
    boolean all;
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        List<Job> everything = client().jobs(app(), false);
        List<Job> jobs = all ? everything : everything.stream().filter(j -> !j.state().isTerminal()).toList();
        if (json) {
            printJson(jobs);
            return 0;
        }
        Table table = new Table("ID", "TYPE", "STATE", "HOST", "ADDRESS", "AGE", "MEMORY", "RESTARTS", "REASON");
        for (Job job : jobs) {
            String reason = job.reason() == null ? "" : job.reason();
            if (job.backoffUntil() != null && job.backoffUntil().isAfter(Instant.now())) {
                reason = (reason.isEmpty() ? "" : reason + "; ") + "restarting at " + job.backoffUntil();
            }
            table.row(job.id(), job.processType(), job.state().wireName(), job.hostId(), job.address(),
                    age(job.createdAt()), job.memoryMb() == null ? "" : ScaleCommand.size(job.memoryMb()),
                    job.restarts(), reason);
        }
        table.print(out());
        if (!all) {
            lastCrashes(everything, Instant.now()).forEach(line -> out().println(line));
        }
        return 0;
    }

    /**
     * One line per process type whose last job to end crashed in the last hour, out of memory above all: a
     * restarted job shows only {@code starting} and its restart count, and this says why it restarted.
     */
    static List<String> lastCrashes(List<Job> jobs, Instant now) {
        Map<String, Job> lastEnded = new TreeMap<>();
        for (Job job : jobs) {
            if (!job.state().isTerminal() || job.releaseId() == null || job.updatedAt() == null) {
                continue;
            }
            lastEnded.merge(job.processType(), job, (a, b) -> a.updatedAt().isAfter(b.updatedAt()) ? a : b);
        }
        List<String> lines = new ArrayList<>();
        lastEnded.forEach((type, job) -> {
            if (job.state() == JobState.CRASHED && job.updatedAt().isAfter(now.minus(Duration.ofHours(1)))) {
                lines.add(type + ": " + job.id() + " " + (OutOfMemory.is(job.reason()) ? "was killed: " : "crashed: ")
                        + job.reason() + " (" + age(job.updatedAt(), now) + " ago)");
            }
        });
        return lines;
    }

    static String age(Instant since) {
        return age(since, Instant.now());
    }

    static String age(Instant since, Instant now) {
        long seconds = Math.max(0, Duration.between(since, now).getSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 86400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }
}
