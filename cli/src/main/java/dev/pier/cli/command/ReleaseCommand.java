package dev.pier.cli.command;

import dev.pier.api.App;
import dev.pier.api.Release;
import dev.pier.cli.Table;
import dev.pier.cli.UserError;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "release", description = "List the app's releases, or show one.",
        subcommands = {ReleaseCommand.Show.class})
public class ReleaseCommand extends PierCommand {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        String name = app();
        App app = client().app(name);
        List<Release> releases = client().releases(name);
        if (json) {
            printJson(releases);
            return 0;
        }
        Table table = new Table("", "VERSION", "ID", "CREATED", "DESCRIPTION");
        releases.forEach(r -> table.row(r.id().equals(app.releaseId()) ? "*" : "", "v" + r.version(), r.id(),
                r.createdAt(), r.description()));
        table.print(out());
        return 0;
    }

    @Command(name = "list", description = "List releases, newest first (the current one is starred).")
    int list(@Option(names = "--json", description = "print JSON") boolean asJson) {
        json = asJson;
        return call();
    }

    @Command(name = "show", description = "Show a release (default: the current one).")
    static class Show extends PierCommand {
        @Parameters(paramLabel = "RELEASE", arity = "0..1", description = "release id or version (v3)")
        String ref;
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            String app = app();
            Release release = ref == null ? client().currentRelease(app)
                    : client().release(app, ReleaseRefs.resolve(client(), app, ref));
            if (json) {
                printJson(release);
                return 0;
            }
            Table table = new Table("", "");
            table.row("Release:", "v" + release.version() + " (" + release.id() + ")");
            table.row("Created:", release.createdAt());
            table.row("Description:", release.description());
            table.row("Artifact:", release.artifactId() == null ? "none (config only)" : release.artifactId());
            table.print(out());
            if (!release.processes().isEmpty()) {
                say("Processes:");
                new TreeMap<>(release.processes()).forEach((type, p) -> say("  " + type + ": " + p.command()
                        + (p.port() == null ? "" : "  (port " + p.port() + ")")));
            }
            Map<String, String> env = new TreeMap<>(release.env());
            if (!env.isEmpty()) {
                say("Config vars:");
                env.forEach((k, v) -> say("  " + k + "=" + v));
            }
            return 0;
        }
    }

}
