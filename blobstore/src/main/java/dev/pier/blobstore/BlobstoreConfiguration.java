package dev.pier.blobstore;

import dev.pier.api.blob.BlobSignature;
import dev.pier.blobstore.backend.BlobBackend;
import dev.pier.blobstore.backend.DiskBlobBackend;
import java.io.IOException;
import java.time.Clock;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class BlobstoreConfiguration {
    @Bean
    BlobBackend blobBackend(BlobstoreProperties properties) throws IOException {
        return new DiskBlobBackend(properties.dataDir());
    }

    @Bean
    BlobSignature blobSignature(Environment environment) {
        return new BlobSignature(environment.getRequiredProperty("pier.cluster-key"));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** One more Tomcat connector, on the same port, per extra bind address. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> extraBindAddresses(BlobstoreProperties properties,
            ServerProperties server) {
        return factory -> {
            for (String address : properties.extraBindAddresses()) {
                Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
                connector.setPort(factory.getPort());
                connector.setProperty("address", address);
                factory.addAdditionalTomcatConnectors(connector);
            }
        };
    }
}
