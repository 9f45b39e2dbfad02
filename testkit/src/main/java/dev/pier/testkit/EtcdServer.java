package dev.pier.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away single-member etcd ({@code /usr/bin/etcd}, or {@code PIER_ETCD}) on free loopback client and
 * peer ports with a temporary data directory. {@link #stop()} (or {@link #kill()}) and {@link #restart()} reuse
 * the same ports and data directory, so a test can simulate an etcd outage ({@link #wipe()} in between: one that
 * lost every registration); {@link #close()} stops it and deletes the data.
 *
 * <pre>{@code
 * try (EtcdServer etcd = EtcdServer.start()) {
 *     String endpoint = etcd.endpoint(); // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class EtcdServer implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(30);

    private final Path binary;
    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;
    private Process process;

    private EtcdServer(Path binary, Path dataDir, int clientPort, int peerPort) {
        this.binary = binary;
        this.dataDir = dataDir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
    }

    /** The etcd binary: {@code PIER_ETCD}, else {@code etcd} on PATH, else /usr/bin/etcd; null when absent. */
    public static Path findBinary() {
        String configured = System.getenv("PIER_ETCD");
        if (configured != null && !configured.isBlank()) {
            return Files.isExecutable(Path.of(configured)) ? Path.of(configured) : null;
        }
        Path onPath = Command.which("etcd");
        if (onPath != null) {
            return onPath;
        }
        Path usual = Path.of("/usr/bin/etcd");
        return Files.isExecutable(usual) ? usual : null;
    }

    /** Starts a new etcd and waits until it answers; skips (or fails under CI) when etcd is not installed. */
    public static EtcdServer start() {
        Path binary = findBinary();
        Requirements.require(binary != null, "etcd (Debian package etcd-server)");
        try {
            EtcdServer server = new EtcdServer(binary, Files.createTempDirectory("pier-etcd-"),
                    FreePorts.next(), FreePorts.next());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pier-etcd-stop"));
            server.restart();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory for etcd", e);
        }
    }

    /** The client URL, e.g. {@code http://127.0.0.1:23791}. */
    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts etcd again on the same ports and data directory (after {@link #stop()}); waits until healthy. */
    public synchronized void restart() {
        if (isRunning()) {
            return;
        }
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = List.of(binary.toString(),
                "--name", "pier-test",
                "--data-dir", dataDir.resolve("data").toString(),
                "--listen-client-urls", endpoint(),
                "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "pier-test=" + peer,
                "--initial-cluster-state", "new",
                "--logger", "zap",
                "--log-level", "warn");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("etcd.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        awaitHealthy();
    }

    private void awaitHealthy() {
        EtcdHealth.await(endpoint(), READY, () -> process.isAlive() ? java.util.Optional.empty()
                : java.util.Optional.of("etcd exited with " + process.exitValue() + "; log:\n" + log()), "etcd", this::log);
    }

    /** Stops etcd (SIGTERM, then SIGKILL after 10 s) and keeps its data directory for {@link #restart()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** Kills etcd at once (SIGKILL, as a crash would), keeping its data directory for {@link #restart()}. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Deletes the data of a stopped etcd, so the next {@link #restart()} starts empty: as if every lease had
     * expired while it was away.
     */
    public synchronized void wipe() {
        if (isRunning()) {
            throw new IllegalStateException("stop etcd before wiping its data");
        }
        Command.run(Duration.ofSeconds(30), List.of("rm", "-rf", dataDir.resolve("data").toString()));
    }

    /** The tail of etcd's own log, for failure messages. */
    public String log() {
        try {
            String text = Files.readString(dataDir.resolve("etcd.log"));
            return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops etcd and deletes its data; idempotent (also run at JVM exit, for tests that fail half-way). */
    @Override
    public synchronized void close() {
        stop();
        if (Files.exists(dataDir)) {
            Command.run(Duration.ofSeconds(30), List.of("rm", "-rf", dataDir.toString()));
        }
    }
}
