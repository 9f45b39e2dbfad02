package dev.pier.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A throw-away etcd cluster of several members on free loopback ports, each a process with a data directory of its
 * own under one temporary directory. Stopping a majority of the members leaves the others a minority: they keep
 * running and answer, but can neither write nor serve a linearizable read (that is how a machine cut off from the
 * quorum sees etcd). {@link #stop(int)} and {@link #restart(int)} keep a member's ports and data, so it rejoins.
 *
 * <pre>{@code
 * try (EtcdCluster etcd = EtcdCluster.start(3)) {
 *     String first = etcd.endpoint(0);
 *     etcd.stop(1);
 *     etcd.stop(2);   // member 0 is now a minority of one
 * }
 * }</pre>
 */
public final class EtcdCluster implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(60);

    private final Path binary;
    private final Path root;
    private final int[] clientPorts;
    private final int[] peerPorts;
    private final Process[] processes;

    private EtcdCluster(Path binary, Path root, int members) {
        this.binary = binary;
        this.root = root;
        this.clientPorts = new int[members];
        this.peerPorts = new int[members];
        this.processes = new Process[members];
        for (int i = 0; i < members; i++) {
            clientPorts[i] = FreePorts.next();
            peerPorts[i] = FreePorts.next();
        }
    }

    /** Starts {@code members} members forming one new cluster and waits until each is healthy (a leader is elected). */
    public static EtcdCluster start(int members) {
        Path binary = EtcdServer.findBinary();
        Requirements.require(binary != null, "etcd (Debian package etcd-server)");
        try {
            EtcdCluster cluster = new EtcdCluster(binary, Files.createTempDirectory("pier-etcd-cluster-"), members);
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "pier-etcd-cluster-stop"));
            for (int i = 0; i < members; i++) {
                cluster.launch(i);
            }
            for (int i = 0; i < members; i++) {
                cluster.awaitHealthy(i);
            }
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory for etcd", e);
        }
    }

    public int size() {
        return processes.length;
    }

    /** Member {@code i}'s client URL, e.g. {@code http://127.0.0.1:23791}. */
    public String endpoint(int i) {
        return "http://127.0.0.1:" + clientPorts[i];
    }

    /** Every member's client URL, comma-separated (as etcd clients take them). */
    public String endpoints() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < processes.length; i++) {
            all.add(endpoint(i));
        }
        return String.join(",", all);
    }

    private static String name(int i) {
        return "m" + i;
    }

    private String peer(int i) {
        return "http://127.0.0.1:" + peerPorts[i];
    }

    private synchronized void launch(int i) {
        if (processes[i] != null && processes[i].isAlive()) {
            return;
        }
        String initial = java.util.stream.IntStream.range(0, processes.length)
                .mapToObj(m -> name(m) + "=" + peer(m)).collect(Collectors.joining(","));
        List<String> command = List.of(binary.toString(),
                "--name", name(i),
                "--data-dir", root.resolve(name(i)).toString(),
                "--listen-client-urls", endpoint(i),
                "--advertise-client-urls", endpoint(i),
                "--listen-peer-urls", peer(i),
                "--initial-advertise-peer-urls", peer(i),
                "--initial-cluster", initial,
                "--initial-cluster-state", "new",
                "--initial-cluster-token", root.getFileName().toString(),
                "--logger", "zap",
                "--log-level", "warn");
        try {
            processes[i] = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(name(i) + ".log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
    }

    /** Starts member {@code i} again (after {@link #stop}); does not wait: a member alone has no quorum to be healthy in. */
    public void restart(int i) {
        launch(i);
    }

    /** Waits until member {@code i} answers healthy: it is running and its cluster has a leader. */
    public void awaitHealthy(int i) {
        EtcdHealth.await(endpoint(i), READY, () -> processes[i] == null || !processes[i].isAlive()
                ? java.util.Optional.of("etcd member " + name(i) + " is not running; log:\n" + log(i))
                : java.util.Optional.empty(), "etcd member " + name(i), () -> log(i));
    }

    /** Stops member {@code i} (SIGTERM, then SIGKILL after 10 s), keeping its data for {@link #restart(int)}. */
    public synchronized void stop(int i) {
        Process process = processes[i];
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
        processes[i] = null;
    }

    /** The tail of member {@code i}'s log, for failure messages. */
    public String log(int i) {
        try {
            String text = Files.readString(root.resolve(name(i) + ".log"));
            return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops every member and deletes the data; idempotent. */
    @Override
    public synchronized void close() {
        for (int i = 0; i < processes.length; i++) {
            stop(i);
        }
        if (Files.exists(root)) {
            Command.run(Duration.ofSeconds(30), List.of("rm", "-rf", root.toString()));
        }
    }
}
