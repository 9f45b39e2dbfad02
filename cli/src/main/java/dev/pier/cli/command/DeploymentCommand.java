package dev.pier.cli.command;

import dev.pier.api.Deployment;
import dev.pier.cli.Table;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "deployment", description = "List the app's deployments, or show one.",
        subcommands = {DeploymentCommand.Show.class})
public class DeploymentCommand extends PierCommand {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        List<Deployment> deployments = client().deployments(app());
        if (json) {
            printJson(deployments);
            return 0;
        }
        Table table = new Table("ID", "STATUS", "STRATEGY", "CREATED", "FINISHED", "ERROR");
        deployments.forEach(d -> table.row(d.id(), d.status().wireName(), d.strategy().wireName(), d.createdAt(),
                d.finishedAt(), d.error()));
        table.print(out());
        return 0;
    }

    @Command(name = "list", description = "List deployments, newest first.")
    int list(@Option(names = "--json", description = "print JSON") boolean asJson) {
        json = asJson;
        return call();
    }

    @Command(name = "show", description = "Show one deployment.")
    static class Show extends PierCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            UUID uuid;
            try {
                uuid = UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw new dev.pier.cli.UserError("'" + id + "' is not a deployment id");
            }
            Deployment d = client().deployment(uuid);
            if (json) {
                printJson(d);
                return 0;
            }
            Table table = new Table("", "");
            table.row("Deployment:", d.id());
            table.row("App:", d.app());
            table.row("Status:", d.status().wireName());
            table.row("Strategy:", d.strategy().wireName());
            table.row("From:", d.oldReleaseId());
            table.row("To:", d.newReleaseId());
            table.row("Processes:", d.processes());
            table.row("Created:", d.createdAt());
            table.row("Finished:", d.finishedAt());
            table.row("Step:", d.step());
            table.row("Error:", d.error());
            table.print(out());
            return 0;
        }
    }
}
