package dev.pier.addon.postgres;

import dev.pier.addon.postgres.provision.Provisioners;
import dev.pier.addon.kit.ManagedServer;
import dev.pier.addon.kit.Server;
import dev.pier.addon.kit.ServerEndpoint;
import dev.pier.addon.kit.Secrets;
import dev.pier.addon.kit.StaticServer;
import dev.pier.addon.kit.SystemApp;
import dev.pier.addon.postgres.server.PostgresServerSpec;
import dev.pier.addon.kit.ProviderLifecycle;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import java.sql.Connection;
import java.sql.Statement;
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
    private static final String PASSWORD_FILE = "pier.addon-postgres.superuser-password-file";

    @Bean
    Provisioners provisioners(ProviderProperties properties) {
        String password = properties.superuserPasswordFile() == null ? ""
                : Secrets.readOrCreate(properties.superuserPasswordFile(), PASSWORD_FILE);
        return new Provisioners(properties.superuser(), password);
    }

    @Bean(destroyMethod = "close")
    DiscoverdClient discoverdClient(ProviderProperties properties, @Value("${pier.cluster-key}") String clusterKey) {
        return ProviderLifecycle.discoverd(properties.discoverdUrl(), clusterKey);
    }

    @Bean(destroyMethod = "close")
    Server server(ProviderProperties properties, Provisioners provisioners, DiscoverdClient discoverd,
                  @Value("${pier.cluster-key}") String clusterKey) {
        if (!properties.managesServer()) {
            LOG.info("event=static_server address={} job_addr={}", properties.serverAddress(),
                    properties.serverJobAddress());
            return new StaticServer(new ServerEndpoint(properties.serverAddress(), properties.serverJobAddress()));
        }
        String password = Secrets.readOrCreate(properties.superuserPasswordFile(), PASSWORD_FILE);
        SystemApp app = new SystemApp(new ControllerClient(properties.controllerUrl(), clusterKey),
                PostgresServerSpec.SPEC, properties.app(), properties.image(),
                Map.of(PostgresServerSpec.PASSWORD_VAR, password), properties.hostPort(), properties.memoryMb());
        ManagedServer server = new ManagedServer(app, discoverd, properties.serverService(), address -> {
            try (Connection connection = provisioners.connect(address, "postgres");
                 Statement sql = connection.createStatement()) {
                sql.execute("SELECT 1");
            }
        }, properties.controllerUrl(), PostgresServerSpec.SPEC.label());
        return server; // started once the provider serves (startSystemApp): not in a class-data training run
    }

    /** Once it serves: the server's loop starts (not in a class-data training run) and the provider is announced. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> onReady(ProviderProperties properties, Server server,
                                                       DiscoverdClient discoverd,
                                                       @Value("${server.address:127.0.0.1}") String bindAddress) {
        return ProviderLifecycle.onReady(server, properties.discoverdUrl() == null ? null : discoverd,
                properties.serviceName(), properties.advertisedAddress(), bindAddress, "postgres");
    }
}
