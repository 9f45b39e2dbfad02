package dev.pier.addon.redis;

import static org.awaitility.Awaitility.await;

import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.testkit.AddonImages;
import dev.pier.testkit.DockerEngine;
import dev.pier.testkit.EtcdServer;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.JavaServices;
import dev.pier.testkit.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A Pier cluster on this machine for the provider's tests: etcd, then discoverd, the controller (over PostgreSQL),
 * one host agent on the real Docker engine and one scheduler, each its module's built jar in a JVM of its own; and
 * the pier/redis image (docker/build-addons). The host agent's job address is its bind address, 127.0.0.1, so the
 * {@code job_addr} the provider hands out is reachable from the test. One cluster per JVM, closed when it exits.
 */
public final class RedisCluster {
    public static final String KEY = "redis-provider-cluster-key";
    private static final Duration START_UP = Duration.ofMinutes(4);
    private static RedisCluster shared;

    public final String image;
    public final String hostId = "rp" + UUID.randomUUID().toString().substring(0, 6);
    public final URI controllerUrl;
    public final URI discoverdUrl;
    public final ControllerClient controller;
    public final DiscoverdClient discoverd;
    private final JavaServices services;
    private final EtcdServer etcd;

    private RedisCluster() throws IOException {
        DockerEngine.require();
        image = AddonImages.build(java.nio.file.Path.of("").toAbsolutePath().getParent()).image("redis");
        services = new JavaServices("pier-redis-provider-");
        etcd = EtcdServer.start();
        int discoverdPort = FreePorts.next();
        discoverdUrl = URI.create("http://127.0.0.1:" + discoverdPort);
        services.startJar("discoverd", "discoverd", "pier-discoverd-exec.jar", List.of("--server.port=" + discoverdPort,
                "--pier.cluster-key=" + KEY, "--pier.discoverd.etcd-endpoints=" + etcd.endpoint(),
                "--pier.discoverd.default-ttl=2s",
                "--pier.discoverd.key-prefix=/rp-" + UUID.randomUUID().toString().substring(0, 8),
                "--logging.level.root=WARN"));
        int controllerPort = FreePorts.next();
        controllerUrl = URI.create("http://127.0.0.1:" + controllerPort);
        services.startJar("controller", "controller", "pier-controller-exec.jar", List.of(
                "--server.port=" + controllerPort, "--pier.cluster-key=" + KEY,
                "--spring.datasource.url=" + PostgresServer.shared().newDatabase(),
                "--spring.datasource.username=" + PostgresServer.USER, "--pier.controller.discoverd-url=" + discoverdUrl,
                "--logging.level.root=WARN"));
        int agentBase = 20000 + (FreePorts.next() % 400) * 100;
        services.startJar(hostId, "host-agent", "pier-host-agent-exec.jar", List.of("--server.port=" + FreePorts.next(),
                "--pier.cluster-key=" + KEY, "--pier.host-agent.host-id=" + hostId,
                "--pier.host-agent.port-range=" + agentBase + "-" + (agentBase + 49),
                "--pier.host-agent.total-memory-mb=1024", "--pier.host-agent.stop-grace=2s",
                "--pier.host-agent.health-interval=1s",
                "--pier.host-agent.discoverd-url=" + discoverdUrl, "--pier.host-agent.discoverd-ttl=2s",
                "--pier.host-agent.docker-host=" + DockerEngine.host(), "--logging.level.root=WARN",
                "--logging.level.dev.pier=INFO"));
        services.startJar("scheduler", "scheduler", "pier-scheduler-exec.jar", List.of("--server.port=" + FreePorts.next(),
                "--pier.cluster-key=" + KEY, "--pier.scheduler.id=scheduler-a", "--pier.scheduler.interval=500ms",
                "--pier.scheduler.controller-url=" + controllerUrl, "--pier.scheduler.discoverd-url=" + discoverdUrl,
                "--logging.level.root=WARN", "--logging.level.dev.pier=INFO"));
        controller = new ControllerClient(controllerUrl, KEY);
        discoverd = new DiscoverdClient(discoverdUrl, KEY);
        await().atMost(START_UP).ignoreExceptions().until(() -> controller.apps() != null);
        await().atMost(START_UP).ignoreExceptions().until(() -> discoverd.instances("pier-host").size() == 1);
        await().atMost(START_UP).ignoreExceptions().until(() -> discoverd.leader("pier-scheduler").leader() != null);
        await().atMost(START_UP).ignoreExceptions().until(() -> discoverd.leader("pier-host-leader").leader() != null);
    }

    /** The JVM's cluster, started on first use (logs under {@link JavaServices#logs()}). */
    public static synchronized RedisCluster shared() throws IOException {
        if (shared == null) {
            RedisCluster cluster = new RedisCluster();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "redis-cluster-close"));
            shared = cluster;
        }
        return shared;
    }

    public java.nio.file.Path logs() {
        return services.logs();
    }

    private void close() {
        try {
            services.close();
        } catch (Exception e) {
            // the JVM is ending: what is left of the processes ends with it
        }
        DockerEngine.removeContainers("pier.host", hostId);
        DockerEngine.removeVolumes("pier.host", hostId);
        discoverd.close();
        etcd.close();
    }
}
