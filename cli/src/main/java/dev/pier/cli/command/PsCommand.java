package dev.pier.cli.command;

import dev.pier.api.Job;
import dev.pier.cli.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
        List<Job> jobs = client().jobs(app(), !all);
        if (json) {
            printJson(jobs);
            return 0;
        }
        Table table = new Table("ID", "TYPE", "STATE", "HOST", "ADDRESS", "AGE", "RESTARTS", "REASON");
        for (Job job : jobs) {
            String reason = job.reason() == null ? "" : job.reason();
            if (job.backoffUntil() != null && job.backoffUntil().isAfter(Instant.now())) {
                reason = (reason.isEmpty() ? "" : reason + "; ") + "restarting at " + job.backoffUntil();
            }
            table.row(job.id(), job.processType(), job.state().wireName(), job.hostId(), job.address(),
                    age(job.createdAt()), job.restarts(), reason);
        }
        table.print(out());
        return 0;
    }

    static String age(Instant since) {
        long seconds = Math.max(0, Duration.between(since, Instant.now()).getSeconds());
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
