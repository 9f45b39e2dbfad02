package dev.pier.gitreceiver;

import dev.pier.api.blob.BlobstoreClient;
import dev.pier.api.controller.ControllerClient;
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

    @Bean
    SshServerLifecycle sshServer(GitReceiverProperties properties, ControllerClient controller, BlobstoreClient blobs,
                                 ExecutorService gitTransfers) {
        PushDeploy pushDeploy = new PushDeploy(controller, blobs, properties);
        return new SshServerLifecycle(properties, new ControllerKeyAuthenticator(controller),
                new GitCommandFactory(controller, pushDeploy, properties, gitTransfers));
    }
}
