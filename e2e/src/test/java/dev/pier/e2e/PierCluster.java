package dev.pier.e2e;

import dev.pier.testkit.Command;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.Requirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Pier cluster of its own on this machine, started with the product's own command, {@code bin/pier-dev up
 * --hosts N}, the way {@code bench/cluster/run} starts a second cluster: its own {@code PIER_STATE} and CLI
 * config, free ports for every service and host ids no other cluster uses. {@link #close()} runs {@code
 * bin/pier-dev down} (which stops what {@code up} started, by the PIDs it recorded), removes the containers of
 * its hosts and forgets the git receiver's host key that {@code up} trusted.
 */
final class PierCluster implements AutoCloseable {
    private static final Duration UP = Duration.ofMinutes(20);
    private static final Duration DOWN = Duration.ofMinutes(3);
    private static final HttpClient API = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path root;
    private final Path work;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final String hostIdPrefix;
    private final int hosts;
    private final int routerPort;
    private final int gitPort;
    /** In machine mode (docs/machines.md): the first three numbers of its machines' addresses; else null. */
    private final String machineSubnet;
    private boolean started;

    private PierCluster(Path root, Path work, int hosts, String machineSubnet) {
        this.root = root;
        this.work = work;
        this.hosts = hosts;
        this.machineSubnet = machineSubnet;
        this.hostIdPrefix = "e2e" + UUID.randomUUID().toString().substring(0, 6) + "-host-";
        this.routerPort = FreePorts.run(1);
        this.gitPort = FreePorts.run(1);
        env.put("PIER_STATE", work.resolve("state").toString());
        env.put("PIER_CONFIG", work.resolve("cli-config.json").toString());
        env.put("PIER_HOST_ID_PREFIX", hostIdPrefix);
        env.put("PIER_PG_PORT", String.valueOf(FreePorts.run(1)));
        env.put("PIER_ETCD_PORT", String.valueOf(FreePorts.run(2))); // etcd's peer port is the next one
        env.put("PIER_CONTROLLER_PORT", String.valueOf(FreePorts.run(1)));
        env.put("PIER_DISCOVERD_PORT", String.valueOf(FreePorts.run(1)));
        env.put("PIER_HOST_AGENT_PORT", String.valueOf(FreePorts.run(hosts))); // host N listens on PORT + N - 1
        env.put("PIER_SCHEDULER_PORT", String.valueOf(FreePorts.run(1)));
        env.put("PIER_BLOBSTORE_PORT", String.valueOf(FreePorts.run(1)));
        env.put("PIER_ROUTER_PORT", String.valueOf(routerPort));
        env.put("PIER_ROUTER_ADMIN_PORT", String.valueOf(FreePorts.run(1)));
        env.put("PIER_ROUTER_TLS_PORT", String.valueOf(FreePorts.run(1)));
        env.put("PIER_GIT_PORT", String.valueOf(gitPort));
        env.put("PIER_GIT_METRICS_PORT", String.valueOf(FreePorts.run(1)));
        // the add-on providers and their servers' host ports too: a developer's cluster on this box keeps its own
        env.put("PIER_ADDON_POSTGRES_PORT", String.valueOf(FreePorts.run(1)));
        env.put("PIER_ADDON_REDIS_PORT", String.valueOf(FreePorts.run(1)));
        env.put("PIER_POSTGRES_HOST_PORT", String.valueOf(FreePorts.run(1)));
        env.put("PIER_REDIS_BASE_PORT", String.valueOf(FreePorts.run(100))); // a resource's server on one of 100
        // Class-data archives cost a training run per service on a fresh state directory (minutes on 2 cores):
        // the suite starts without them unless told otherwise (PIER_CDS=1).
        env.put("PIER_CDS", System.getenv().getOrDefault("PIER_CDS", "0"));
        if (machineSubnet != null) {
            // a network of its own, apart from a developer's `up --machines` (pier-br0, 10.77.0.0/24, pier-m1..)
            env.put("PIER_MACHINES_SUBNET", machineSubnet);
            env.put("PIER_MACHINES_BRIDGE", "pier-e2e-br");
            env.put("PIER_MACHINES_PREFIX", "pe2e-m");
        }
    }

    /** Boots the cluster with {@code hosts} host agents; fails with {@code up}'s output when it does not come up. */
    static PierCluster up(int hosts) {
        return boot(hosts, null, List.of("--hosts", String.valueOf(hosts)));
    }

    /**
     * Boots a cluster of {@code machines} machines, {@code bin/pier-dev up --machines N}: each a network namespace
     * with its own address ({@link #machineAddress}), Docker engine, etcd member, discoverd and host agent; the
     * control plane on machine 1 (docs/machines.md). Their network is 10.76.0.0/24, on the bridge pier-e2e-br (the
     * chaos suite, bench/chaos, has 10.78.0.0/24: the two may run at once).
     */
    static PierCluster upMachines(int machines) {
        return boot(machines, "10.76.0", List.of("--machines", String.valueOf(machines)));
    }

    private static PierCluster boot(int hosts, String machineSubnet, List<String> options) {
        Path root = repositoryRoot();
        Path work;
        try {
            work = Files.createTempDirectory("pier-e2e-");
            // PostgreSQL runs as postgres and must reach its data directory under here
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PierCluster cluster = new PierCluster(root, work, hosts, machineSubnet);
        cluster.started = true;
        long start = System.nanoTime();
        List<String> command = new java.util.ArrayList<>(List.of(root.resolve("bin/pier-dev").toString(), "up"));
        command.addAll(options);
        Command.Result up = Command.run(UP, command, root, cluster.env);
        System.out.printf("bin/pier-dev up %s took %d s, exit %d:%n%s%n", String.join(" ", options),
                Duration.ofNanos(System.nanoTime() - start).toSeconds(), up.exitCode(), up.output());
        if (up.exitCode() != 0) {
            cluster.close();
            throw new AssertionError("bin/pier-dev up failed (exit " + up.exitCode() + "):\n" + up.output());
        }
        return cluster;
    }

    /** The checkout this module belongs to: {@code ..} from the module's directory, where Maven runs tests. */
    static Path repositoryRoot() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        if (!Files.isExecutable(root.resolve("bin/pier-dev"))) {
            throw new IllegalStateException("no bin/pier-dev in " + root + ": run the suite from the e2e module");
        }
        return root;
    }

    Path root() {
        return root;
    }

    /** A directory of the test's own, under the cluster's work directory. */
    Path work() {
        return work;
    }

    /** What the CLI needs to find this cluster: {@code PIER_CONFIG} (and the rest of the cluster's variables). */
    Map<String, String> env() {
        return Map.copyOf(env);
    }

    int routerPort() {
        return routerPort;
    }

    int gitPort() {
        return gitPort;
    }

    /** The port every etcd member serves clients on (machine mode: on each machine's address). */
    int etcdPort() {
        return Integer.parseInt(env.get("PIER_ETCD_PORT"));
    }

    int hosts() {
        return hosts;
    }

    /** The PID {@code pier-dev} recorded for a service ({@code router}, {@code etcd}, {@code host-1}, ...). */
    long pid(String service) {
        try {
            return Long.parseLong(Files.readString(work.resolve("state/pids/" + service + ".pid")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code bin/pier-dev status}'s output. */
    String status() {
        Command.Result status = Command.run(Duration.ofMinutes(1), List.of(root.resolve("bin/pier-dev").toString(),
                "status"), root, env);
        if (status.exitCode() != 0) {
            throw new AssertionError("bin/pier-dev status exited " + status.exitCode() + ":\n" + status.output());
        }
        return status.output();
    }

    /**
     * {@code bin/pier-dev down}, then {@code up} again on the same state and ports, as an operator restarts the
     * cluster: apps' containers outlive {@code down} and the host agents adopt them.
     */
    void downAndUp() {
        Command.Result down = Command.run(DOWN, List.of(root.resolve("bin/pier-dev").toString(), "down"), root, env);
        if (down.exitCode() != 0) {
            throw new AssertionError("bin/pier-dev down failed (exit " + down.exitCode() + "):\n" + down.output());
        }
        long start = System.nanoTime();
        Command.Result up = Command.run(UP, List.of(root.resolve("bin/pier-dev").toString(), "up",
                machineSubnet == null ? "--hosts" : "--machines", String.valueOf(hosts)), root, env);
        System.out.printf("bin/pier-dev up (again, %d hosts) took %d s, exit %d%n", hosts,
                Duration.ofNanos(System.nanoTime() - start).toSeconds(), up.exitCode());
        if (up.exitCode() != 0) {
            throw new AssertionError("bin/pier-dev up (again) failed (exit " + up.exitCode() + "):\n" + up.output());
        }
    }

    /** Machine {@code n}'s address (1-based; machine mode only): where its jobs are published. */
    String machineAddress(int n) {
        if (machineSubnet == null) {
            throw new IllegalStateException("this cluster runs on one box, not on machines");
        }
        return machineSubnet + "." + (10 + n);
    }

    /** Where the root namespace reaches the router: 127.0.0.1, or machine 1's address in machine mode. */
    String routerAddress() {
        return machineSubnet == null ? "127.0.0.1" : machineAddress(1);
    }

    /**
     * GET {@code path} of the controller's REST API with the cluster's key, as automation would; its body, required
     * to be a 200. Quicker than the CLI (no JVM to start), for polls that time what they see.
     */
    String controllerGet(String path) {
        try {
            String key = Files.readString(work.resolve("state/cluster-key")).strip();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + routerAddress() + ":"
                            + env.get("PIER_CONTROLLER_PORT") + path))
                    .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(10)).GET().build();
            HttpResponse<String> answer = API.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new AssertionError("GET " + path + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code bin/pier-dev fault KIND MACHINE} (machine mode), required to succeed; returns its output. */
    String fault(String kind, int machine) {
        Command.Result fault = Command.run(Duration.ofMinutes(5), List.of(root.resolve("bin/pier-dev").toString(),
                "fault", kind, String.valueOf(machine)), root, env);
        System.out.printf("$ bin/pier-dev fault %s %d -> exit %d%n%s%n", kind, machine, fault.exitCode(), fault.output());
        if (fault.exitCode() != 0) {
            throw new AssertionError("bin/pier-dev fault " + kind + " " + machine + " exited " + fault.exitCode()
                    + ":\n" + fault.output());
        }
        return fault.output();
    }

    /** The host id of host agent {@code n} (1-based), as pier-dev names it. */
    String hostId(int n) {
        return hostIdPrefix + n;
    }

    @Override
    public void close() {
        if (!started) {
            return;
        }
        started = false;
        Command.Result down = Command.run(DOWN, List.of(root.resolve("bin/pier-dev").toString(), "down"), root, env);
        System.out.println("bin/pier-dev down (exit " + down.exitCode() + "):\n" + down.output());
        // apps' containers outlive `down` on purpose (the agents adopt them on the next `up`): this cluster has none
        for (int n = 1; n <= hosts; n++) {
            Command.run(Duration.ofMinutes(2), List.of("sh", "-c", "docker ps -aq --filter label=pier.host=" + hostId(n)
                    + " | xargs -r docker rm -f -v"));
        }
        Command.run(Duration.ofSeconds(30), List.of("ssh-keygen", "-R", "[" + routerAddress() + "]:" + gitPort));
        if (machineSubnet != null) {
            // the machines' engines hold a copy of the stack images each (GBs): gone even when the logs are kept
            Command.run(Duration.ofMinutes(2), List.of("sh", "-c", "rm -rf " + work.resolve("state/machines")
                    + "/m*/docker"));
        }
        if (Requirements.underCi()) {
            System.out.println("cluster state and logs kept for debugging in " + work.resolve("state")
                    + " (logs: " + work.resolve("state/logs") + ")");
        } else {
            Command.run(Duration.ofMinutes(2), List.of("rm", "-rf", work.toString()));
        }
    }
}
