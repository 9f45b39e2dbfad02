package dev.pier.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server started from the distribution's binaries on a free loopback port.
 * PostgreSQL refuses to run as root, so as root it runs as the {@code postgres} user with a data
 * directory that user owns. One server is shared per test JVM ({@link #shared()}); each test class
 * takes a database of its own ({@link #newDatabase()}).
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "pier";
    private static final Duration STEP = Duration.ofSeconds(60);
    private static PostgresServer shared;

    private final Path binDir;
    private final Path dataDir;
    private final int port;

    private PostgresServer(Path binDir, Path dataDir, int port) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** The PostgreSQL bin directory: {@code PIER_PG_BIN}, else the newest under /usr/lib/postgresql. */
    public static Path findBinDir() {
        String configured = System.getenv("PIER_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(bin -> versionOf(bin.getParent())))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The server shared by this JVM's tests, started on first use and stopped when the JVM exits. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            Path bin = findBinDir();
            Requirements.require(bin != null, "PostgreSQL server binaries (initdb, pg_ctl)");
            shared = start(bin);
            PostgresServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pier-postgres-stop"));
        }
        return shared;
    }

    public static PostgresServer start(Path binDir) {
        try {
            Path dataDir = Files.createTempDirectory("pier-pg-");
            if (Command.isRoot()) {
                Command.check(STEP, List.of("chown", "postgres:postgres", dataDir.toString()));
            }
            int port = FreePorts.next();
            Path pgdata = dataDir.resolve("data");
            Command.check(STEP, Command.as("postgres", List.of(binDir.resolve("initdb").toString(),
                    "-D", pgdata.toString(), "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
                    "--no-sync")));
            Command.check(STEP, Command.as("postgres", List.of(binDir.resolve("pg_ctl").toString(),
                    "-D", pgdata.toString(), "-o", options(port, dataDir), "-l",
                    dataDir.resolve("postgres.log").toString(), "-w", "-t", "60", "start")));
            return new PostgresServer(binDir, dataDir, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        }
    }

    private static String options(int port, Path dataDir) {
        return String.join(" ", "-p", String.valueOf(port), "-k", dataDir.toString(),
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=200");
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates a fresh, uniquely named database and returns its JDBC URL (user {@value #USER}, no password). */
    public String newDatabase() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    /**
     * Restarts the server at once ({@code pg_ctl restart -m immediate}: every open connection breaks, as in a
     * crash), on the same port and data, and waits until it accepts connections again.
     */
    public synchronized void restart() {
        Command.check(STEP, Command.as("postgres", List.of(binDir.resolve("pg_ctl").toString(),
                "-D", dataDir.resolve("data").toString(), "-o", options(port, dataDir), "-l",
                dataDir.resolve("postgres.log").toString(), "-m", "immediate", "-w", "-t", "60", "restart")));
    }

    @Override
    public synchronized void close() {
        if (!Files.isDirectory(dataDir)) {
            return;
        }
        Command.run(STEP, Command.as("postgres", List.of(binDir.resolve("pg_ctl").toString(),
                "-D", dataDir.resolve("data").toString(), "-m", "immediate", "-w", "stop")));
        Command.run(STEP, List.of("rm", "-rf", dataDir.toString()));
    }
}
