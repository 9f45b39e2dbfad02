package dev.pier.addon.redis;

import dev.pier.addon.kit.Settings;
import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.addon-redis.*}, checked at start-up. Either the provider runs its server as a system app
 * ({@code controller-url}, {@code discoverd-url}, {@code image}, {@code password-file} required), or it uses a server
 * it does not run ({@code server-address} and {@code server-job-address} set, {@code password-file} optional).
 *
 * @param controllerUrl     the controller that runs the system app
 * @param discoverdUrl      discoverd: where the server's job is found and where this provider announces itself
 * @param app               the system app's name
 * @param image             the server's Docker image ({@code pier/redis:<recipe hash>}, docker/build-addons)
 * @param hostPort          the host port the server's job is published at (its address across restarts)
 * @param memoryMb          the server job's memory limit
 * @param serverService     the discoverd service of the server's job; empty: {@code <app>-redis}
 * @param passwordFile      the default user's password, generated into this file on the first start and kept
 * @param serverAddress     a server the provider does not run: where the provider connects
 * @param serverJobAddress  and the address apps are given for it
 * @param serviceName       this provider's discoverd service
 * @param advertisedAddress its address there; empty: the bind address and the HTTP port
 */
@ConfigurationProperties("pier.addon-redis")
public record RedisProperties(URI controllerUrl, URI discoverdUrl, @DefaultValue("pier-redis") String app,
                              String image, @DefaultValue("56379") int hostPort, @DefaultValue("256") int memoryMb,
                              @DefaultValue("") String serverService, Path passwordFile,
                              @DefaultValue("") String serverAddress, @DefaultValue("") String serverJobAddress,
                              @DefaultValue("pier-addon-redis") String serviceName,
                              @DefaultValue("") String advertisedAddress) {
    public RedisProperties {
        Settings settings = new Settings("pier.addon-redis");
        settings.app("app", app);
        settings.port("host-port", hostPort);
        settings.memory("memory-mb", memoryMb);
        if (serverService.isBlank()) {
            serverService = app + "-redis";
        }
        if (!serverAddress.isBlank()) {
            settings.hostPort("server-address", serverAddress);
            settings.hostPort("server-job-address", serverJobAddress);
        } else {
            settings.requireUnlessStatic("controller-url", controllerUrl);
            settings.requireUnlessStatic("discoverd-url", discoverdUrl);
            settings.requireUnlessStatic("image", image);
            settings.requireUnlessStatic("password-file", passwordFile);
        }
    }

    /** Whether the provider runs its server as a system app (else it uses {@link #serverAddress()}). */
    public boolean managesServer() {
        return serverAddress.isBlank();
    }
}
