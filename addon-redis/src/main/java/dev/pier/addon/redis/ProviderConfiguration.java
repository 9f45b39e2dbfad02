package dev.pier.addon.redis;

import dev.pier.addon.kit.ManagedServer;
import dev.pier.addon.kit.ProviderLifecycle;
import dev.pier.addon.kit.Secrets;
import dev.pier.addon.kit.Server;
import dev.pier.addon.kit.ServerEndpoint;
import dev.pier.addon.kit.StaticServer;
import dev.pier.addon.kit.SystemApp;
import dev.pier.addon.redis.provision.RedisServerAccess;
import dev.pier.addon.redis.server.RedisServerSpec;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ProviderConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderConfiguration.class);
    private static final String PASSWORD_FILE = "pier.addon-redis.password-file";

    @Bean
    RedisServerAccess access(RedisProperties properties) {
        return new RedisServerAccess(properties.passwordFile() == null ? null
                : Secrets.readOrCreate(properties.passwordFile(), PASSWORD_FILE));
    }

    @Bean(destroyMethod = "close")
    DiscoverdClient discoverdClient(RedisProperties properties, @Value("${pier.cluster-key}") String clusterKey) {
        return ProviderLifecycle.discoverd(properties.discoverdUrl(), clusterKey);
    }

    @Bean(destroyMethod = "close")
    Server server(RedisProperties properties, RedisServerAccess access, DiscoverdClient discoverd,
                  @Value("${pier.cluster-key}") String clusterKey) {
        if (!properties.managesServer()) {
            LOG.info("event=static_server address={} job_addr={}", properties.serverAddress(),
                    properties.serverJobAddress());
            return new StaticServer(new ServerEndpoint(properties.serverAddress(), properties.serverJobAddress()));
        }
        SystemApp app = new SystemApp(new ControllerClient(properties.controllerUrl(), clusterKey),
                RedisServerSpec.SPEC, properties.app(), properties.image(),
                Map.of(RedisServerSpec.PASSWORD_VAR, access.password()), properties.hostPort(), properties.memoryMb());
        return new ManagedServer(app, discoverd, properties.serverService(), access::ping, properties.controllerUrl(),
                RedisServerSpec.SPEC.label()); // started once the provider serves (onReady)
    }

    /** Once it serves: the server's loop starts and the provider is announced ({@code pier-addon-redis}). */
    @Bean
    ApplicationListener<ApplicationReadyEvent> onReady(RedisProperties properties, Server server,
                                                       DiscoverdClient discoverd,
                                                       @Value("${server.address:127.0.0.1}") String bindAddress) {
        return ProviderLifecycle.onReady(server, properties.discoverdUrl() == null ? null : discoverd,
                properties.serviceName(), properties.advertisedAddress(), bindAddress, "redis");
    }
}
