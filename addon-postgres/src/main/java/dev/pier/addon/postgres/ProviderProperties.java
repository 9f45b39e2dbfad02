package dev.pier.addon.postgres;

import dev.pier.addon.kit.Settings;
import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.addon-postgres.*}, checked at start-up. Either the provider runs its server as a system app
 * ({@code controller-url}, {@code discoverd-url}, {@code image}, {@code superuser-password-file} required), or it
 * uses a server it does not run ({@code server-address} and {@code server-job-address} set).
 *
 * @param controllerUrl          the controller that runs the system app
 * @param discoverdUrl           discoverd: where the server's job is found and where this provider announces itself
 * @param app                    the system app's name
 * @param image                  the server's Docker image ({@code pier/postgres:<recipe hash>}, docker/build-addons)
 * @param hostPort               the host port the server's job is published at (its address across restarts)
 * @param memoryMb               the server job's memory limit
 * @param serverService          the discoverd service of the server's job; empty: {@code <app>-postgres}
 * @param superuser              the server's superuser
 * @param superuserPasswordFile  its password, generated into this file on the first start and kept
 * @param serverAddress          a server the provider does not run: where the provider connects
 * @param serverJobAddress       and the address apps are given for it
 * @param serviceName            this provider's discoverd service
 * @param advertisedAddress      its address there; empty: the bind address and the HTTP port
 */
@ConfigurationProperties("pier.addon-postgres")
public record ProviderProperties(URI controllerUrl, URI discoverdUrl, @DefaultValue("pier-postgres") String app,
                                 String image, @DefaultValue("55432") int hostPort, @DefaultValue("512") int memoryMb,
                                 @DefaultValue("") String serverService, @DefaultValue("postgres") String superuser,
                                 Path superuserPasswordFile, @DefaultValue("") String serverAddress,
                                 @DefaultValue("") String serverJobAddress,
                                 @DefaultValue("pier-addon-postgres") String serviceName,
                                 @DefaultValue("") String advertisedAddress) {
    public ProviderProperties {
        Settings settings = new Settings("pier.addon-postgres");
        settings.app("app", app);
        settings.port("host-port", hostPort);
        settings.memory("memory-mb", memoryMb);
        if (serverService.isBlank()) {
            serverService = app + "-postgres";
        }
        if (!serverAddress.isBlank()) {
            settings.hostPort("server-address", serverAddress);
            settings.hostPort("server-job-address", serverJobAddress);
        } else {
            settings.requireUnlessStatic("controller-url", controllerUrl);
            settings.requireUnlessStatic("discoverd-url", discoverdUrl);
            settings.requireUnlessStatic("image", image);
            settings.requireUnlessStatic("superuser-password-file", superuserPasswordFile);
        }
    }

    /** Whether the provider runs its server as a system app (else it uses {@link #serverAddress()}). */
    public boolean managesServer() {
        return serverAddress.isBlank();
    }
}
