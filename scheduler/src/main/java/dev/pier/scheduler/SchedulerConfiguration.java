package dev.pier.scheduler;

import dev.pier.api.blob.BlobSignature;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.scheduler.reconcile.ClusterChanges;
import dev.pier.scheduler.reconcile.HeldFence;
import dev.pier.scheduler.reconcile.LiveCluster;
import dev.pier.scheduler.reconcile.Reconciler;
import dev.pier.scheduler.reconcile.SchedulerLoop;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class SchedulerConfiguration {

    /** The fence this scheduler holds while it leads: sent with its changes to host agents and the controller. */
    @Bean
    HeldFence heldFence() {
        return new HeldFence();
    }

    @Bean
    ControllerClient controllerClient(SchedulerProperties properties, @Value("${pier.cluster-key}") String key,
                                      HeldFence fence) {
        return new ControllerClient(properties.controllerUrl(), key, Duration.ofSeconds(15), fence::held);
    }

    @Bean(destroyMethod = "close")
    DiscoverdClient discoverdClient(SchedulerProperties properties, @Value("${pier.cluster-key}") String key) {
        return new DiscoverdClient(properties.discoverdUrl(), key);
    }

    /** How long the slug URL given to a new job stays valid. */
    static final Duration SLUG_URL_TTL = Duration.ofHours(1);

    @Bean
    SchedulerLoop schedulerLoop(SchedulerProperties properties, ControllerClient controller, DiscoverdClient discoverd,
                                @Value("${pier.cluster-key}") String key, MeterRegistry meters, HeldFence fence) {
        BlobSignature signature = new BlobSignature(key);
        // the host leader's changes wake the loop, and its succession ends a pass's wait for the old leader's view
        ClusterChanges changes = new ClusterChanges(discoverd, key, Duration.ofSeconds(1));
        // a job fetches its slug once, when it starts: the URL only has to outlive the start
        Reconciler reconciler = new Reconciler(new LiveCluster(controller, discoverd, key, fence, changes),
                properties.jobMemoryMb(), properties.slugRunnerImage(),
                uri -> signature.signUrl("GET", uri, Instant.now().plus(SLUG_URL_TTL)), properties.endedJobRetention());
        return new SchedulerLoop(properties, controller, discoverd, reconciler, changes, fence, meters);
    }
}
