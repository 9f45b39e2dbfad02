package dev.pier.cli;

import dev.pier.api.http.PierApiException;
import dev.pier.cli.command.PgCommand;
import dev.pier.cli.config.ConfigStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code pier}: the command line of a Pier cluster, in Flynn's style. */
@Command(name = "pier", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "pier 0.1.0",
        description = "Deploy and manage apps on a Pier cluster.",
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

    /**
     * Runs one command line, as {@code pier} does: builds only the commands it needs (see {@link CommandTree}),
     * with {@code pier run}'s stdin and output on {@code terminal}. Returns the exit code.
     */
    public static int execute(String[] args, ConfigStore store, Path workingDir, PrintWriter out, PrintWriter err,
                              Terminal terminal) {
        return commandLine(store, workingDir, out, err, terminal, CommandTree.forArguments(args)).execute(args);
    }

    private static CommandLine commandLine(ConfigStore store, Path workingDir, PrintWriter out, PrintWriter err,
                                           Terminal terminal, List<Class<?>> commands) {
        CommandLine line = new CommandLine(new Pier(store, workingDir, terminal));
        commands.forEach(line::addSubcommand);
        CommandLine run = line.getSubcommands().get("run");
        if (run != null) {
            // pier run ls -la: everything after the command is the command's
            run.setStopAtPositional(true);
        }
        CommandLine pg = line.getSubcommands().get("pg");
        if (pg != null) {
            // pier pg psql -c 'SELECT 1', as psql -c: there -c is the SQL, the cluster --cluster
            ShortOptions.move(pg.getSubcommands().get("psql").getCommandSpec(), PgCommand.Psql.COMMAND_SHORT,
                    "--cluster", "--command");
        }
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
        int code = execute(args, ConfigStore.fromEnvironment(), Path.of("").toAbsolutePath(), out, err,
                new SystemTerminal());
        out.flush();
        err.flush();
        QuickExit.exit(code);
    }
}
