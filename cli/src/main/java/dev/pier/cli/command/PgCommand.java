package dev.pier.cli.command;

import dev.pier.api.Job;
import dev.pier.cli.Terminal;
import dev.pier.cli.UserError;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pier pg psql|dump|restore}: PostgreSQL's client programs against the app's database ({@code DATABASE_URL},
 * from its attached postgres resource), run as one-off jobs of the provider's system app {@value #SYSTEM_APP}, whose
 * image carries them, attached as {@code pier run} is. The job gets the app's {@code DATABASE_URL} and {@code PG*}
 * config vars; nothing else of the app.
 */
@Command(name = "pg", description = {"PostgreSQL's psql, pg_dump and pg_restore against the app's database "
        + "(its DATABASE_URL, from an attached postgres resource).",
        "Each runs as a one-off job of the system app " + PgCommand.SYSTEM_APP + ", whose image has PostgreSQL's client "
                + "programs, attached like pier run."},
        subcommands = {PgCommand.Psql.class, PgCommand.Dump.class, PgCommand.Restore.class})
public class PgCommand extends PierCommand {
    /** The system app that runs the postgres provider's server. */
    public static final String SYSTEM_APP = "pier-postgres";
    /** The line a failed pg_dump's message follows, at the end of the job's output. */
    static final String DUMP_FAILED = "\n--pier-pg-dump-failed-4b7f0c--\n";
    /** How much of the end of a dump is held back to find that marker in. */
    static final int HELD_TAIL = 16 * 1024;

    @Override
    public Integer call() {
        spec.commandLine().usage(out());
        return 0;
    }

    static final AddonJob.Addon ADDON = new AddonJob.Addon("postgres", SYSTEM_APP, "DATABASE_URL", "PG", "a database",
            "PostgreSQL's client programs", "POSTGRES_PASSWORD");

    /** psql on the app's database with {@code args} after it; with {@code sql}, that SQL, stopping at its first error. */
    static List<String> psql(String sql, List<String> args) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", sql == null
                ? "exec psql \"$DATABASE_URL\" \"$@\""
                : "exec psql \"$DATABASE_URL\" --no-psqlrc -v ON_ERROR_STOP=1 -c \"$PIER_PG_SQL\" \"$@\"", "psql"));
        command.addAll(args);
        return command;
    }

    static List<String> dump() {
        return List.of("pg_dump --format=custom --no-owner --no-acl \"$DATABASE_URL\" 2>/tmp/pg_dump.err"
                + " || { status=$?; printf '" + DUMP_FAILED.replace("\n", "\\n") + "'; tail -c 8000 /tmp/pg_dump.err;"
                + " exit $status; }");
    }

    static List<String> restore() {
        return List.of("exec pg_restore --no-owner --no-acl --clean --if-exists --single-transaction "
                + "--dbname=\"$DATABASE_URL\"");
    }

    /** What the pg commands share: the app's database env, and a one-off job of the system app attached. */
    abstract static class PgJob extends AddonJob {
        @Override
        Addon addon() {
            return ADDON;
        }
    }

    @Command(name = "psql", description = {"Open psql on the app's database (interactive, with a terminal when yours "
            + "is one), or with -c SQL run that SQL and exit with psql's exit status, as psql -c does.",
            "Arguments after -- go to psql as they are (pier pg psql -- -x -c 'SELECT 1'). Here -c is psql's: the "
                    + "cluster is --cluster, or -c before pg (pier -c prod pg psql)."})
    public static class Psql extends PgJob {
        /** The short name this command takes from pier's inherited {@code --cluster}: psql's own {@code -c}. */
        public static final String COMMAND_SHORT = "-c";

        @Option(names = {"-C", "--command"}, paramLabel = "SQL", description = "run this SQL and exit (stops at the first error)")
        String sql;
        @Parameters(paramLabel = "PSQL-ARG", arity = "0..*", description = "psql's own arguments (after --)")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            Terminal terminal = terminal();
            boolean tty = sql == null && terminal.isTerminal();
            return run(psql(sql, args), sql == null ? Map.of() : Map.of("PIER_PG_SQL", sql), tty);
        }
    }

    @Command(name = "dump", description = {"Write the app's database to stdout in pg_dump's custom format "
            + "(pier pg dump > app.dump), streamed. Owners and grants are left out, so it restores into another "
            + "database (pier pg restore)."})
    static class Dump extends PgJob {
        @Override
        public Integer call() throws IOException {
            Terminal terminal = terminal();
            if (terminal.isTerminal()) {
                throw new UserError("the dump is binary: send it to a file (pier pg dump > app.dump)");
            }
            Job job = start(SYSTEM_APP, dump(), Map.of(), true, false);
            OutputStream out = terminal.out();
            HeldTail tail = new HeldTail(out, HELD_TAIL);
            int status = new AttachedRun(terminal).run(client(), SYSTEM_APP, job, false, tail);
            if (status == 0) {
                tail.release();
                return 0;
            }
            String message = tail.releaseUpTo(DUMP_FAILED);
            throw new UserError("pg_dump failed (exit status " + status + ")"
                    + (message.isEmpty() ? "" : ": " + message.replace('\n', ' ').strip()));
        }
    }

    @Command(name = "restore", description = {"Restore a dump of pier pg dump from stdin into the app's database "
            + "(pier pg restore < app.dump), streamed, in one transaction: objects the dump has are replaced, and a "
            + "failure changes nothing."})
    static class Restore extends PgJob {
        @Override
        public Integer call() {
            Terminal terminal = terminal();
            if (terminal.isTerminal()) {
                throw new UserError("give the dump on stdin (pier pg restore < app.dump)");
            }
            try {
                return run(restore(), Map.of(), false);
            } catch (UncheckedIOException e) {
                throw new UserError("reading the dump failed: " + e.getMessage());
            }
        }
    }
}
