package dev.pier.controller.fence;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.http.PierApiException;
import dev.pier.controller.ControllerProperties;
import dev.pier.web.fence.FenceInterceptor;
import dev.pier.web.fence.LeaderFence;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The scheduler leader's writes (job reports, deployment steps, formations) carry its fence; the controller makes
 * them only while that fence is the current leader's, read through discoverd by quorum (docs/scheduler.md,
 * "Fencing"). Without a discoverd ({@code pier.controller.discoverd-url}) no fence can be confirmed, and a write
 * that carries one is refused.
 */
@Configuration(proxyBeanMethods = false)
public class FenceConfiguration implements WebMvcConfigurer {
    private final LeaderFence fence;

    public FenceConfiguration(ControllerProperties properties, @Value("${pier.cluster-key}") String clusterKey) {
        if (properties.discoverdUrl() == null) {
            this.fence = new LeaderFence(service -> {
                throw new PierApiException(503, "Service Unavailable", "this controller has no discoverd "
                        + "(pier.controller.discoverd-url) to read the leader of " + service + " from", null);
            });
        } else {
            DiscoverdClient discoverd = new DiscoverdClient(properties.discoverdUrl(), clusterKey);
            this.fence = new LeaderFence(discoverd::leader);
        }
    }

    @Bean
    LeaderFence leaderFence() {
        return fence;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new FenceInterceptor(fence));
    }
}
