package dev.pier.cli.command;

import dev.pier.api.Volume;
import dev.pier.cli.Table;
import dev.pier.cli.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pier volumes}: the cluster's volumes, as Flynn's {@code flynn volume list} shows them (every app's, or the
 * app given with {@code -a}); {@code pier volumes delete NAME} deletes one and its data (asks first).
 */
@Command(name = "volumes", aliases = "volume", description = "List the cluster's volumes (-a: one app's); delete one.",
        subcommands = VolumeCommand.Delete.class)
public class VolumeCommand extends PierCommand {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        List<Volume> volumes = client().volumes(session().appGiven().orElse(null));
        if (json) {
            printJson(volumes);
            return 0;
        }
        Table table = new Table("NAME", "HOST", "APP", "TYPE", "PATH", "SIZE", "IN USE BY", "CREATED");
        for (Volume volume : volumes) {
            String use = volume.hostLost() ? "(host lost)" : volume.jobId() == null ? "-" : volume.jobId();
            table.row(volume.name(), volume.hostId(), volume.app(), volume.processType(), volume.path(),
                    volume.sizeMb() == null ? "" : ScaleCommand.size(volume.sizeMb()), use,
                    volume.createdAt() == null ? "" : PsCommand.age(volume.createdAt()) + " ago");
        }
        table.print(out());
        return 0;
    }

    @Command(name = "delete", description = "Delete a volume and its data (asks first; refused while a job uses it).")
    static class Delete extends PierCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation")
        boolean yes;

        @Override
        public Integer call() throws IOException {
            if (!yes) {
                if (System.console() == null) {
                    throw new UserError("deleting volume '" + name + "' needs confirmation: run it in a terminal or "
                            + "add --yes");
                }
                out().print("This deletes volume " + name + " and all of its data. Type its name to confirm: ");
                out().flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (!name.equals(answer == null ? null : answer.strip())) {
                    throw new UserError("not confirmed; nothing deleted");
                }
            }
            client().deleteVolume(name);
            say("Deleted volume " + name);
            return 0;
        }
    }
}
