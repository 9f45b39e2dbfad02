package dev.pier.discoverd;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.testkit.EtcdServer;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A real etcd on free ports and a discoverd over it, in this JVM, for integration tests and the bench. */
final class RunningDiscoverd implements AutoCloseable {
    static final String KEY = "test-cluster-key";

    final EtcdServer etcd;
    final ConfigurableApplicationContext context;
    final URI base;

    private RunningDiscoverd(EtcdServer etcd, ConfigurableApplicationContext context) {
        this.etcd = etcd;
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    static RunningDiscoverd start() {
        EtcdServer etcd = EtcdServer.start();
        try {
            ConfigurableApplicationContext context = new SpringApplicationBuilder(DiscoverdApplication.class)
                    .run("--server.port=0",
                            "--pier.cluster-key=" + KEY,
                            "--pier.discoverd.etcd-endpoints=" + etcd.endpoint(),
                            "--pier.discoverd.etcd-timeout=1s",
                            "--pier.discoverd.watch-heartbeat=500ms",
                            "--pier.discoverd.key-prefix=/test-" + Long.toHexString(System.nanoTime()),
                            "--logging.level.io.etcd=warn", "--logging.level.io.grpc=warn");
            return new RunningDiscoverd(etcd, context);
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
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
