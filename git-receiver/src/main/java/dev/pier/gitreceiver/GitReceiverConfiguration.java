package dev.pier.gitreceiver;

import dev.pier.api.blob.BlobstoreClient;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.MetricsAnnouncement;
import dev.pier.gitreceiver.cleanup.DeletedApps;
import dev.pier.gitreceiver.metrics.MetricsPort;
import dev.pier.gitreceiver.metrics.MetricsPortProperties;
import dev.pier.api.metrics.Meters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.pier.gitreceiver.push.AppLocks;
import dev.pier.gitreceiver.push.PushDeploy;
import dev.pier.gitreceiver.ssh.ControllerKeyAuthenticator;
import dev.pier.gitreceiver.ssh.GitCommandFactory;
import dev.pier.gitreceiver.ssh.SshServerLifecycle;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class GitReceiverConfiguration {

    @Bean
    ControllerClient controllerClient(GitReceiverProperties properties, @Value("${pier.cluster-key}") String key) {
        return new ControllerClient(properties.controllerUrl(), key, Duration.ofSeconds(30));
    }

    @Bean
    BlobstoreClient blobstoreClient(GitReceiverProperties properties, @Value("${pier.cluster-key}") String key) {
        return new BlobstoreClient(properties.blobstoreUrl(), key, Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService gitTransfers() {
        return Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "pier-git");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** One push per app at a time; the clean-up of a deleted app's leftovers holds the same permits. */
    @Bean
    AppLocks appLocks() {
        return new AppLocks();
    }

    @Bean
    SshServerLifecycle sshServer(GitReceiverProperties properties, ControllerClient controller, BlobstoreClient blobs,
                                 AppLocks locks, ExecutorService gitTransfers) {
        PushDeploy pushDeploy = new PushDeploy(controller, blobs, properties);
        return new SshServerLifecycle(properties, new ControllerKeyAuthenticator(controller),
                new GitCommandFactory(controller, pushDeploy, locks, properties, gitTransfers));
    }

    /** JVM and process figures for {@code /metrics} (the receiver has no series of its own yet). */
    @Bean(destroyMethod = "close")
    PrometheusMeterRegistry meterRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(Meters.CONVENTIONS);
        Meters.bindTo(registry);
        return registry;
    }

    /** {@code /metrics} on {@code pier.git-receiver.metrics.port}, unless that is -1. */
    @Bean(destroyMethod = "close")
    MetricsPort metricsPort(MetricsPortProperties metrics, GitReceiverProperties properties,
            PrometheusMeterRegistry registry, @Value("${pier.cluster-key}") String key,
            @Value("${pier.metrics.public:false}") boolean open,
            @Value("${pier.metrics.discoverd-url:}") String discoverdUrl,
            @Value("${pier.metrics.advertised-address:}") String advertised) throws java.io.IOException {
        if (metrics.port() < 0) {
            return null;
        }
        MetricsPort port = new MetricsPort(properties.bindAddress(), metrics.port(), registry, key, open);
        port.announce(discoverdUrl, key, MetricsAnnouncement.address(advertised, properties.bindAddress(), port.port()));
        return port;
    }

    @Bean
    DeletedApps deletedApps(GitReceiverProperties properties, ControllerClient controller, BlobstoreClient blobs,
                            AppLocks locks) {
        return new DeletedApps(controller, blobs, locks, properties.repositories(),
                Duration.ofSeconds(30));
    }
}
