package dev.pier.addon.redis;

import dev.pier.addon.kit.ProviderLifecycle;
import dev.pier.addon.redis.instance.RedisInstances;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ProviderConfiguration {

    @Bean(destroyMethod = "close")
    DiscoverdClient discoverdClient(RedisProperties properties, @Value("${pier.cluster-key}") String clusterKey) {
        return ProviderLifecycle.discoverd(properties.discoverdUrl(), clusterKey);
    }

    @Bean
    RedisInstances instances(RedisProperties properties, DiscoverdClient discoverd,
                             @Value("${pier.cluster-key}") String clusterKey) {
        return new RedisInstances(new ControllerClient(properties.controllerUrl(), clusterKey),
                properties.controllerUrl(), discoverd, new RedisInstances.Settings(properties.image(),
                properties.basePort(), properties.portCount(), properties.memoryMb(), properties.maxmemoryMb(),
                properties.provisionWait(), properties.volumeWait()));
    }

    /** Once it serves, the provider is announced in discoverd ({@code pier-addon-redis}). */
    @Bean
    ApplicationListener<ApplicationReadyEvent> onReady(RedisProperties properties, DiscoverdClient discoverd,
                                                       @Value("${server.address:127.0.0.1}") String bindAddress) {
        return ProviderLifecycle.onReady(null, discoverd, properties.serviceName(), properties.advertisedAddress(),
                bindAddress, "redis");
    }
}
