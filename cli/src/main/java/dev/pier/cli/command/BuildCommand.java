package dev.pier.cli.command;

import dev.pier.api.Build;
import dev.pier.cli.Table;
import dev.pier.cli.UserError;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "builds", aliases = "build", description = "List the app's builds (newest first), or show one, or its output.",
        subcommands = {BuildCommand.Show.class, BuildCommand.Log.class})
public class BuildCommand extends PierCommand {
    @Option(names = "--json", description = "print JSON")
    boolean json;
    @Option(names = {"-n", "--limit"}, defaultValue = "20", paramLabel = "N", description = "how many (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 1000) {
            throw new UserError("--limit must be between 1 and 1000");
        }
        List<Build> builds = client().builds(app(), limit);
        if (json) {
            printJson(builds);
            return 0;
        }
        Table table = new Table("ID", "STATE", "COMMIT", "RELEASE", "CREATED", "TOOK", "ERROR");
        builds.forEach(b -> table.row(b.id(), b.state().wireName(), shortCommit(b), b.releaseVersion() == null ? null
                : "v" + b.releaseVersion(), b.createdAt(), took(b), b.error()));
        table.print(out());
        return 0;
    }

    static String shortCommit(Build build) {
        return build.commit() == null ? null : build.commit().substring(0, Math.min(7, build.commit().length()));
    }

    static String took(Build build) {
        if (build.finishedAt() == null) {
            return null;
        }
        Duration took = Duration.between(build.createdAt(), build.finishedAt());
        return String.format("%.1f s", took.toMillis() / 1000.0);
    }

    static UUID buildId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new UserError("'" + id + "' is not a build id (see 'pier builds')");
        }
    }

    @Command(name = "show", description = "Show one build.")
    static class Show extends PierCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            Build b = client().build(app(), buildId(id));
            if (json) {
                printJson(b);
                return 0;
            }
            Table table = new Table("", "");
            table.row("Build:", b.id());
            table.row("App:", b.app());
            table.row("State:", b.state().wireName());
            table.row("Commit:", b.commit());
            table.row("Buildpack:", b.buildpack());
            table.row("Process types:", b.processTypes().isEmpty() ? null : String.join(", ", b.processTypes().keySet()));
            table.row("Release:", b.releaseVersion() == null ? null : "v" + b.releaseVersion() + " (" + b.releaseId() + ")");
            table.row("Deployment:", b.deploymentId());
            table.row("Job:", b.jobId() == null ? null : b.jobId() + " on " + b.hostId());
            table.row("Created:", b.createdAt());
            table.row("Finished:", b.finishedAt());
            table.row("Took:", took(b));
            table.row("Error:", b.error());
            table.print(out());
            return 0;
        }
    }

    @Command(name = "log", description = "Print a build's output; with -f, follow it until the build ends.")
    static class Log extends PierCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = {"-f", "--follow"}, description = "follow the output until the build ends")
        boolean follow;

        @Override
        public Integer call() {
            UUID build = buildId(id);
            client().buildLog(app(), build, follow, line -> say(line.text()));
            return 0;
        }
    }
}
