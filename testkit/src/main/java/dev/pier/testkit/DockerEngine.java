package dev.pier.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The machine's Docker engine, for integration tests, and a tiny test image built locally (there is no
 * registry): Debian's static busybox with its applet links, imported as {@code pier/test-busybox:<hash>}.
 * The image has {@code sh}, {@code nc}, {@code httpd}, {@code sleep}, {@code dd}... so tests can run
 * servers on a port, crash, trap signals and exhaust memory. It is built once per recipe and kept
 * (tagged by the hash of busybox and the recipe); containers that tests start carry
 * {@link #TEST_LABEL} so {@link #removeTestContainers} removes only them.
 */
public final class DockerEngine {
    public static final String IMAGE_REPOSITORY = "pier/test-busybox";
    /** Label on everything the tests create, with a per-run value. */
    public static final String TEST_LABEL = "pier.test";
    private static final String RECIPE = "busybox-static rootfs v2: /bin applets, /tmp, /etc/passwd, PATH=/bin";
    private static final Duration STEP = Duration.ofSeconds(120);
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static String image;
    private static Boolean running;

    private DockerEngine() {
    }

    /** Whether {@code docker info} answers (the engine runs and we may use it). */
    public static synchronized boolean isRunning() {
        if (running == null) {
            running = Command.which("docker") != null
                    && Command.run(Duration.ofSeconds(30), List.of("docker", "info")).exitCode() == 0;
        }
        return running;
    }

    /** Requires a running Docker engine (fails under CI, skips elsewhere). */
    public static void require() {
        Requirements.require(isRunning(), "a running Docker engine (docker info)");
    }

    /** The unix socket URL of the local engine. */
    public static String host() {
        String configured = System.getenv("DOCKER_HOST");
        return configured == null || configured.isBlank() ? "unix:///var/run/docker.sock" : configured;
    }

    /** The test image's name:tag, built on first use when the engine lacks it. Requires Docker and busybox. */
    public static synchronized String testImage() {
        require();
        Requirements.require(Files.isExecutable(BUSYBOX), "busybox-static (/bin/busybox)");
        if (image != null) {
            return image;
        }
        String name = IMAGE_REPOSITORY + ":" + recipeHash();
        if (Command.run(STEP, List.of("docker", "image", "inspect", name)).exitCode() != 0) {
            build(name);
        }
        image = name;
        return image;
    }

    private static void build(String name) {
        Path root = null;
        try {
            root = Files.createTempDirectory("pier-busybox-");
            Path bin = Files.createDirectories(root.resolve("bin"));
            Files.copy(BUSYBOX, bin.resolve("busybox"));
            for (String applet : Command.check(STEP, List.of(BUSYBOX.toString(), "--list")).split("\\s+")) {
                if (!applet.isBlank() && !applet.equals("busybox")) {
                    Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
                }
            }
            Files.createDirectories(root.resolve("tmp"));
            Files.createDirectories(root.resolve("etc"));
            Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/:/bin/sh\n");
            Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
            Command.check(STEP, List.of("sh", "-c", "tar -C '" + root + "' -c . | docker import"
                    + " -c 'ENV PATH=/bin' -c 'LABEL pier.test-image=busybox' - '" + name + "'"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the test image " + name, e);
        } finally {
            if (root != null) {
                Command.run(STEP, List.of("rm", "-rf", root.toString()));
            }
        }
    }

    private static String recipeHash() {
        try (InputStream in = Files.newInputStream(BUSYBOX)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(RECIPE.getBytes(StandardCharsets.UTF_8));
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUSYBOX, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh value for {@link #TEST_LABEL}, to tell this run's containers from others'. */
    public static String newRunId() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Removes (forcibly) the containers carrying {@code label=value}; returns how many. */
    public static int removeContainers(String label, String value) {
        String ids = Command.check(STEP, List.of("docker", "ps", "-aq", "--filter", "label=" + label + "=" + value));
        List<String> list = ids.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (!list.isEmpty()) {
            List<String> command = new java.util.ArrayList<>(List.of("docker", "rm", "-f", "-v"));
            command.addAll(list);
            Command.run(STEP, command);
        }
        return list.size();
    }

    /** Removes the volumes carrying {@code label=value} (after the containers that mount them); returns how many. */
    public static int removeVolumes(String label, String value) {
        String names = Command.check(STEP, List.of("docker", "volume", "ls", "-q", "--filter",
                "label=" + label + "=" + value));
        List<String> list = names.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (!list.isEmpty()) {
            List<String> command = new java.util.ArrayList<>(List.of("docker", "volume", "rm", "-f"));
            command.addAll(list);
            Command.run(STEP, command);
        }
        return list.size();
    }

    /** Removes the containers this test run started (labelled {@link #TEST_LABEL}={@code runId}). */
    public static int removeTestContainers(String runId) {
        return removeContainers(TEST_LABEL, runId);
    }

    /**
     * The host's address on the docker0 bridge, where containers reach host services as
     * {@code host.docker.internal} (Docker 20.10 often leaves the gateway out of the bridge's IPAM config:
     * then docker0's own address).
     */
    public static String bridgeGateway() {
        String gateway = Command.check(java.time.Duration.ofSeconds(20), java.util.List.of("docker", "network", "inspect",
                "bridge", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}")).trim();
        if (!gateway.isEmpty()) {
            return gateway;
        }
        try {
            java.net.NetworkInterface docker0 = java.net.NetworkInterface.getByName("docker0");
            if (docker0 != null) {
                for (java.net.InetAddress address : java.util.Collections.list(docker0.getInetAddresses())) {
                    if (address instanceof java.net.Inet4Address) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (java.net.SocketException e) {
            throw new IllegalStateException("cannot read docker0's address: " + e.getMessage(), e);
        }
        throw new IllegalStateException("no IPv4 address on docker0 for containers to reach the host");
    }
}
