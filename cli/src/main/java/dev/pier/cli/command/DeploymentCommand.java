package dev.pier.cli.command;

import dev.pier.api.App;
import dev.pier.api.AppUpdate;
import dev.pier.api.DeployStrategy;
import dev.pier.api.Deployment;
import dev.pier.cli.Table;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "deployment", description = "List the app's deployments, or show one; show or set how deploys go.",
        subcommands = {DeploymentCommand.Show.class, DeploymentCommand.Timeout.class, DeploymentCommand.Strategy.class})
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

    @Command(name = "timeout", description = "Show or set how long a deployment may go without progress before it fails "
            + "(seconds; the previous release keeps running).")
    static class Timeout extends PierCommand {
        @Parameters(paramLabel = "SECONDS", arity = "0..1")
        String seconds;

        @Override
        public Integer call() {
            String name = app();
            if (seconds == null) {
                say(client().app(name).deployTimeout() + " s");
                return 0;
            }
            if (!seconds.matches("^[0-9]{1,5}$")) {
                throw new dev.pier.cli.UserError("'" + seconds + "' is not a number of seconds");
            }
            App app = client().updateApp(name, new AppUpdate(null, null, Integer.parseInt(seconds)));
            say("Deployments of " + name + " now fail after " + app.deployTimeout() + " s without progress");
            return 0;
        }
    }

    @Command(name = "strategy", description = "Show or set how new jobs replace old ones: one-by-one or all-at-once.")
    static class Strategy extends PierCommand {
        @Parameters(paramLabel = "STRATEGY", arity = "0..1")
        String strategy;

        @Override
        public Integer call() {
            String name = app();
            if (strategy == null) {
                say(client().app(name).strategy().wireName());
                return 0;
            }
            DeployStrategy chosen;
            try {
                chosen = DeployStrategy.fromWire(strategy);
            } catch (IllegalArgumentException e) {
                throw new dev.pier.cli.UserError(e.getMessage());
            }
            App app = client().updateApp(name, new AppUpdate(null, chosen, null));
            say("Deployments of " + name + " now go " + app.strategy().wireName());
            return 0;
        }
    }
}
