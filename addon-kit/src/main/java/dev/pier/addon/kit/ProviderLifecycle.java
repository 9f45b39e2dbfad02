package dev.pier.addon.kit;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Registration;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;

/** What a provider does around its start: its discoverd client, then, once it serves, its server's loop and its announcement. */
public final class ProviderLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderLifecycle.class);

    private ProviderLifecycle() {
    }

    /** The discoverd client; without a discoverd (a server the provider does not run, in tests) it is never called. */
    public static DiscoverdClient discoverd(URI discoverdUrl, String clusterKey) {
        return new DiscoverdClient(discoverdUrl == null ? URI.create("http://127.0.0.1:1") : discoverdUrl, clusterKey);
    }

    /**
     * Once the provider serves: a {@link ManagedServer}'s loop starts (not in a class-data training run, which never
     * gets ready), and the provider is announced in discoverd as {@code service} (meta {@code provider}) at
     * {@code advertisedAddress}, or the bind address and HTTP port when blank; {@code discoverd} null: not announced.
     */
    public static ApplicationListener<ApplicationReadyEvent> onReady(Server server, DiscoverdClient discoverd,
                                                                     String service, String advertisedAddress,
                                                                     String bindAddress, String provider) {
        return event -> {
            if (server instanceof ManagedServer managed) {
                managed.start();
            }
            if (discoverd == null) {
                return;
            }
            int port = ((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort();
            String address = advertisedAddress.isBlank() ? bindAddress + ":" + port : advertisedAddress;
            Registration registration = discoverd.register(service, address.replace(':', '-'), address,
                    Map.of("provider", provider));
            LOG.info("event=provider_announced service={} address={} registered={}", service, address,
                    registration.isRegistered());
        };
    }
}
