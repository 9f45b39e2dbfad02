package dev.pier.gitreceiver;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.git-receiver.*}: where SSH listens; the state directory (the SSH host key, generated once and
 * kept so users' {@code known_hosts} stay valid, and the apps' bare repositories); the controller and the
 * blobstore; how long a push may wait for another push to the same app, and for its deploy; and the router's
 * public port, for the URL printed at the end of a push.
 */
@ConfigurationProperties("pier.git-receiver")
public record GitReceiverProperties(
        @DefaultValue("127.0.0.1") String bindAddress,
        @DefaultValue("2222") int port,
        @DefaultValue("/var/lib/pier/git-receiver") Path stateDir,
        @DefaultValue("http://127.0.0.1:8300") URI controllerUrl,
        @DefaultValue("http://127.0.0.1:8340") URI blobstoreUrl,
        @DefaultValue("20m") Duration pushWait,
        @DefaultValue("5m") Duration deployTimeout,
        @DefaultValue("8080") int routerPort) {

    public GitReceiverProperties {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("pier.git-receiver.port must be between 0 and 65535");
        }
        if (routerPort < 1 || routerPort > 65535) {
            throw new IllegalArgumentException("pier.git-receiver.router-port must be between 1 and 65535");
        }
    }

    public Path repositories() {
        return stateDir.resolve("repos");
    }

    public Path hostKey() {
        return stateDir.resolve("ssh_host_key");
    }
}
