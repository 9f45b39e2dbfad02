package dev.pier.cli.command;

import dev.pier.api.Job;
import dev.pier.api.NewJob;
import dev.pier.cli.Pier;
import dev.pier.cli.Terminal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = {"Run a command in a one-off job of the app's current release.",
        "Attached (the default), the job's output comes here, your input goes to it (with a terminal of its own "
                + "when yours is one), and pier exits with the job's exit status; leaving stops the job.",
        "Detached (-d), pier prints the job's id; 'pier log -j ID -f' follows its output.",
        "One argument runs through a shell (pier run \"echo hi && exit 3\"); several run as given."})
public class RunCommand extends PierCommand {
    @Option(names = {"-d", "--detach"}, description = "run detached: print the job id and return")
    boolean detach;
    @Option(names = {"-r", "--release"}, paramLabel = "ID", description = "the release to run in (id or vN; default: the current one)")
    String release;
    @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", description = "a config var for this job only (repeatable)")
    List<String> env = new ArrayList<>();
    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "the program and its arguments, or one shell line")
    List<String> command;

    @Override
    public Integer call() {
        String app = app();
        var vars = Assignments.parse(env);
        UUID releaseId = release == null ? null : ReleaseRefs.resolve(client(), app, release);
        Terminal terminal = ((Pier) spec.root().userObject()).terminal();
        boolean tty = !detach && terminal.isTerminal();
        Job job = client().run(app, new NewJob(releaseId, command, vars, !detach, tty, null));
        if (detach) {
            say(job.id());
            err().println("Detached; its output: pier -a " + app + " log -j " + job.id() + " -f");
            err().flush();
            return 0;
        }
        return new AttachedRun(terminal).run(client(), app, job, tty);
    }
}
