package dev.pier.hostagent;

import dev.pier.api.host.HostAgentClient;
import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.FreePorts;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A host agent started in this JVM on a free port, as a test's "host". Closing it stops the agent only (its
 * containers keep running, as when an agent process dies); {@link #removeContainers} cleans up after the test.
 */
public final class RunningAgent implements AutoCloseable {
    public static final String KEY = "test-cluster-key";

    private final String hostId;
    private final int port;
    private final String portRange;
    private final Map<String, Object> extra;
    private final ApplicationContextInitializer<ConfigurableApplicationContext> initializer;
    private ConfigurableApplicationContext context;

    private RunningAgent(String hostId, int port, String portRange, Map<String, Object> extra,
                         ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
        this.hostId = hostId;
        this.port = port;
        this.portRange = portRange;
        this.extra = extra;
        this.initializer = initializer;
    }

    public static String newHostId() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A port range of 50 ports that nothing seems to use, picked around a free port. */
    public static String freeRange() {
        int base = 20000 + (FreePorts.next() % 400) * 100;
        return base + "-" + (base + 49);
    }

    public static RunningAgent start(String hostId, Map<String, Object> extra) {
        return start(hostId, extra, context -> {
        });
    }

    /** Starts an agent; {@code initializer} may register beans first (e.g. a test's discovery). */
    public static RunningAgent start(String hostId, Map<String, Object> extra,
                                     ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
        RunningAgent agent = new RunningAgent(hostId, FreePorts.next(), freeRange(), extra, initializer);
        agent.boot();
        return agent;
    }

    public static RunningAgent start(String hostId) {
        return start(hostId, Map.of());
    }

    /** Starts a new agent process-alike with the same host id, port and range (an agent restart). */
    public RunningAgent restart() {
        close();
        RunningAgent again = new RunningAgent(hostId, port, portRange, extra, initializer);
        again.boot();
        return again;
    }

    private void boot() {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--pier.cluster-key=" + KEY,
                "--pier.host-agent.host-id=" + hostId,
                "--pier.host-agent.port-range=" + portRange,
                "--pier.host-agent.total-memory-mb=1024",
                "--pier.host-agent.stop-grace=2s",
                "--pier.host-agent.health-timeout=20s",
                "--pier.host-agent.health-interval=1s",
                "--pier.host-agent.docker-host=" + DockerEngine.host(),
                "--logging.level.root=WARN",
                "--logging.level.dev.pier=INFO"));
        // no sandbox pool unless the test asks for one (NetworkSandboxesTest and AgentSandboxesTest do), of either kind
        if (!extra.containsKey("pier.host-agent.sandboxes.size")) {
            args.add("--pier.host-agent.sandboxes.size=0");
        }
        if (!extra.containsKey("pier.host-agent.sandboxes.web-size")) {
            args.add("--pier.host-agent.sandboxes.web-size=0");
        }
        extra.forEach((k, v) -> args.add("--" + k + "=" + v));
        context = HostAgentApplication.application().initializers(initializer).run(args.toArray(String[]::new));
    }

    public String hostId() {
        return hostId;
    }

    public int port() {
        return port;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * A client that waits as long as the scheduler's does (30 s, LiveCluster): a job's start answers once Docker has
     * created and started its container, which took 10 s and more on a loaded machine (CI saw the default 10 s
     * run out while the container was starting).
     */
    public HostAgentClient client() {
        return new HostAgentClient(url(), KEY, java.time.Duration.ofSeconds(30));
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    /** Removes every container and volume of this host id (they carry {@code pier.host}). */
    public void removeContainers() {
        DockerEngine.removeContainers("pier.host", hostId);
        DockerEngine.removeVolumes("pier.host", hostId);
    }
}
