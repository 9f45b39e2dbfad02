package dev.pier.addon.postgres;

import dev.pier.addon.postgres.provision.Provisioners;
import dev.pier.addon.postgres.server.ManagedServer;
import dev.pier.addon.postgres.server.Server;
import dev.pier.addon.postgres.server.ServerEndpoint;
import dev.pier.addon.postgres.server.SuperuserPassword;
import dev.pier.addon.postgres.server.SystemApp;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Registration;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ProviderConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderConfiguration.class);

    @Bean
    Provisioners provisioners(ProviderProperties properties) {
        String password = properties.superuserPasswordFile() == null ? ""
                : SuperuserPassword.readOrCreate(properties.superuserPasswordFile());
        return new Provisioners(properties.superuser(), password);
    }

    @Bean(destroyMethod = "close")
    DiscoverdClient discoverdClient(ProviderProperties properties, @Value("${pier.cluster-key}") String clusterKey) {
        // without discoverd (a server the provider does not run, in tests) the client is never called
        return new DiscoverdClient(properties.discoverdUrl() == null ? java.net.URI.create("http://127.0.0.1:1")
                : properties.discoverdUrl(), clusterKey);
    }

    @Bean(destroyMethod = "close")
    Server server(ProviderProperties properties, Provisioners provisioners, DiscoverdClient discoverd,
                  @Value("${pier.cluster-key}") String clusterKey) {
        if (!properties.managesServer()) {
            LOG.info("event=static_server address={} job_addr={}", properties.serverAddress(),
                    properties.serverJobAddress());
            return new ClosableStatic(new ServerEndpoint(properties.serverAddress(), properties.serverJobAddress()));
        }
        String password = SuperuserPassword.readOrCreate(properties.superuserPasswordFile());
        SystemApp app = new SystemApp(new ControllerClient(properties.controllerUrl(), clusterKey), properties.app(),
                properties.image(), password, properties.hostPort(), properties.memoryMb());
        ManagedServer server = new ManagedServer(app, discoverd, properties.serverService(), address -> {
            try (Connection connection = provisioners.connect(address, "postgres");
                 Statement sql = connection.createStatement()) {
                sql.execute("SELECT 1");
            }
        }, properties.controllerUrl());
        return server; // started once the provider serves (startSystemApp): not in a class-data training run
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> startSystemApp(Server server) {
        return event -> {
            if (server instanceof ManagedServer managed) {
                managed.start();
            }
        };
    }

    /** A static server with a no-op close, so the bean's destroy method fits both kinds. */
    record ClosableStatic(ServerEndpoint fixed) implements Server, AutoCloseable {
        @Override
        public ServerEndpoint endpoint() {
            return fixed;
        }

        @Override
        public void close() {
        }
    }

    /** This provider in discoverd ({@code pier-addon-postgres}), once it serves; the controller finds it there. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> announce(ProviderProperties properties, DiscoverdClient discoverd,
                                                        @Value("${server.address:127.0.0.1}") String bindAddress) {
        return event -> {
            if (properties.discoverdUrl() == null) {
                return;
            }
            int port = ((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort();
            String address = properties.advertisedAddress().isBlank() ? bindAddress + ":" + port
                    : properties.advertisedAddress();
            Registration registration = discoverd.register(properties.serviceName(), address.replace(':', '-'),
                    address, Map.of("provider", "postgres"));
            LOG.info("event=provider_announced service={} address={} registered={}", properties.serviceName(), address,
                    registration.isRegistered());
        };
    }
}
