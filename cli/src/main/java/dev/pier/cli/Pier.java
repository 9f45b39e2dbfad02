package dev.pier.cli;

import dev.pier.api.http.PierApiException;
import dev.pier.cli.command.AppCommands;
import dev.pier.cli.command.ClusterCommand;
import dev.pier.cli.command.DeploymentCommand;
import dev.pier.cli.command.EnvCommand;
import dev.pier.cli.command.KeyCommand;
import dev.pier.cli.command.LogCommand;
import dev.pier.cli.command.PsCommand;
import dev.pier.cli.command.ReleaseCommand;
import dev.pier.cli.command.RunCommand;
import dev.pier.cli.command.RouteCommand;
import dev.pier.cli.command.ScaleCommand;
import dev.pier.cli.config.ConfigStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code pier}: the command line of a Pier cluster, in Flynn's style. */
@Command(name = "pier", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "pier 0.1.0",
        description = "Deploy and manage apps on a Pier cluster.",
        subcommands = {ClusterCommand.class, AppCommands.Create.class, AppCommands.Apps.class,
                AppCommands.Delete.class, AppCommands.Info.class, ScaleCommand.class, PsCommand.class,
                EnvCommand.class, RunCommand.class, LogCommand.class, ReleaseCommand.class, AppCommands.Rollback.class, RouteCommand.class,
                KeyCommand.class, DeploymentCommand.class, AutoComplete.GenerateCompletion.class},
        footer = {"", "The app comes from -a, $PIER_APP, or the 'pier' git remote; the cluster from -c,",
                "$PIER_CLUSTER, or the default one. Config: ~/.pier/config.json ($PIER_CONFIG)."})
public class Pier {
    @Option(names = {"-a", "--app"}, scope = ScopeType.INHERIT, paramLabel = "APP", description = "the app")
    String app;

    @Option(names = {"-c", "--cluster"}, scope = ScopeType.INHERIT, paramLabel = "NAME", description = "the cluster")
    String cluster;

    private final ConfigStore store;
    private final Path workingDir;
    private final Terminal terminal;
    private Session session;

    public Pier(ConfigStore store, Path workingDir, Terminal terminal) {
        this.store = store;
        this.workingDir = workingDir;
        this.terminal = terminal;
    }

    /** The user's terminal, for {@code pier run}. */
    public Terminal terminal() {
        return terminal;
    }

    public Session session() {
        if (session == null) {
            session = new Session(store, cluster, app, workingDir);
        }
        return session;
    }

    /** A command line ready to run, writing to {@code out} and {@code err}: errors are one line, never a stack. */
    public static CommandLine commandLine(ConfigStore store, Path workingDir, PrintWriter out, PrintWriter err) {
        return commandLine(store, workingDir, out, err, new SystemTerminal());
    }

    /** The same, with {@code pier run}'s stdin and output on {@code terminal}. */
    public static CommandLine commandLine(ConfigStore store, Path workingDir, PrintWriter out, PrintWriter err,
                                          Terminal terminal) {
        CommandLine line = new CommandLine(new Pier(store, workingDir, terminal));
        // pier run ls -la: everything after the command is the command's
        line.getSubcommands().get("run").setStopAtPositional(true);
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter errors = commandLine.getErr();
            if (e instanceof PierApiException || e instanceof UserError) {
                errors.println("pier: " + e.getMessage());
            } else {
                errors.println("pier: internal error: " + e);
                if (System.getenv("PIER_DEBUG") != null) {
                    e.printStackTrace(errors);
                }
            }
            errors.flush();
            return 1;
        });
        return line;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(ConfigStore.fromEnvironment(), Path.of("").toAbsolutePath(), out, err).execute(args);
        System.exit(code);
    }
}
