package dev.pier.discoverd;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.testkit.EtcdServer;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A real etcd on free ports and a discoverd over it, in this JVM, for integration tests and the bench. */
final class RunningDiscoverd implements AutoCloseable {
    static final String KEY = "test-cluster-key";

    final EtcdServer etcd;
    final URI base;
    private final String prefix;
    private final int port;
    private ConfigurableApplicationContext context;

    private RunningDiscoverd(EtcdServer etcd, ConfigurableApplicationContext context, String prefix) {
        this.etcd = etcd;
        this.context = context;
        this.prefix = prefix;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    static RunningDiscoverd start() {
        EtcdServer etcd = EtcdServer.start();
        try {
            String prefix = "/test-" + Long.toHexString(System.nanoTime());
            return new RunningDiscoverd(etcd, run(etcd, prefix, 0), prefix);
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
    }

    private static ConfigurableApplicationContext run(EtcdServer etcd, String prefix, int port) {
        return DiscoverdApplication.application()
                .run("--server.port=" + port,
                        "--pier.cluster-key=" + KEY,
                        "--pier.discoverd.etcd-endpoints=" + etcd.endpoint(),
                        "--pier.discoverd.etcd-timeout=1s",
                        "--pier.discoverd.watch-heartbeat=500ms",
                        "--pier.discoverd.key-prefix=" + prefix,
                        "--logging.level.io.etcd=warn", "--logging.level.io.grpc=warn");
    }

    /** Stops discoverd and starts a fresh one (no memory of leases) on the same port over the same etcd. */
    void restartDiscoverd() {
        context.close();
        context = run(etcd, prefix, port);
    }

    DiscoverdClient client() {
        return new DiscoverdClient(base, KEY, Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            etcd.close();
        }
    }
}
