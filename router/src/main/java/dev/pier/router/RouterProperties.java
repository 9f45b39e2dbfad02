package dev.pier.router;

import dev.pier.router.proxy.TrustedProxies;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code pier.router.*}: where the router listens and whom it asks for routes and instances.
 *
 * @param bindAddress      address of the proxy and admin listeners
 * @param port             the HTTP proxy port
 * @param tlsPort          the HTTPS proxy port (certificates chosen by SNI from the routes)
 * @param adminPort        {@code /health} and {@code /metrics}
 * @param clusterDomain    every app's default route is {@code <app>.<cluster domain>}
 * @param controllerUrl    where routes come from
 * @param discoverdUrl     where instances come from
 * @param clusterKey       bearer key for the controller and discoverd
 * @param routePoll        how often routes are re-read besides the event stream
 * @param connectTimeout   upstream connect timeout (then the next instance is tried)
 * @param responseTimeout  upstream time to first response byte, then 504
 * @param idleTimeout      a keep-alive connection (client or upstream) idle this long is closed
 * @param readTimeout      a client that sends nothing for this long mid-request is dropped (slow-loris)
 * @param ejectFor         an instance that failed to connect is skipped this long
 * @param maxHeaderSize    bytes of all request headers, above: 431
 * @param maxInitialLine   bytes of the request line, above: 414/400
 * @param maxConnectionsPerInstance upstream pool size per instance (shared out among the event loops)
 * @param eventLoops       proxy event-loop threads; 0 means one per available processor
 * @param trustedProxies   addresses or CIDR networks of front proxies whose Forwarded / X-Forwarded-* headers are
 *                         kept (and added to); from any other client those headers are replaced by the router's own
 * @param id               this router's id in discoverd's {@code pier-router}; blank: {@code router-<admin address>}
 * @param advertisedHost   the host the admin port is reached at by other services; blank: {@code bindAddress}
 */
@Validated
@ConfigurationProperties("pier.router")
public record RouterProperties(
        @DefaultValue("127.0.0.1") @NotBlank String bindAddress,
        @DefaultValue("8080") @Min(0) @Max(65535) int port,
        @DefaultValue("8443") @Min(0) @Max(65535) int tlsPort,
        @DefaultValue("8081") @Min(0) @Max(65535) int adminPort,
        @DefaultValue("pier.localhost") @NotBlank String clusterDomain,
        @DefaultValue("http://127.0.0.1:8300") @NotNull URI controllerUrl,
        @DefaultValue("http://127.0.0.1:8310") @NotNull URI discoverdUrl,
        @NotBlank String clusterKey,
        @DefaultValue("5s") @NotNull Duration routePoll,
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("60s") @NotNull Duration responseTimeout,
        @DefaultValue("75s") @NotNull Duration idleTimeout,
        @DefaultValue("30s") @NotNull Duration readTimeout,
        @DefaultValue("5s") @NotNull Duration ejectFor,
        @DefaultValue("16384") @Min(1024) int maxHeaderSize,
        @DefaultValue("8192") @Min(256) int maxInitialLine,
        @DefaultValue("500") @Min(1) int maxConnectionsPerInstance,
        @DefaultValue("0") @Min(0) @Max(256) int eventLoops,
        @DefaultValue("") List<String> trustedProxies,
        @DefaultValue("") String id,
        @DefaultValue("") String advertisedHost) {

    @ConstructorBinding
    public RouterProperties {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        try {
            TrustedProxies.parse(trustedProxies);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pier.router.trusted-proxies: " + e.getMessage(), e);
        }
        id = id == null ? "" : id;
        advertisedHost = advertisedHost == null ? "" : advertisedHost;
    }

    /** With the given trusted proxies, and the router's id and admin host derived from its addresses. */
    public RouterProperties(String bindAddress, int port, int tlsPort, int adminPort, String clusterDomain,
            URI controllerUrl, URI discoverdUrl, String clusterKey, Duration routePoll, Duration connectTimeout,
            Duration responseTimeout, Duration idleTimeout, Duration readTimeout, Duration ejectFor, int maxHeaderSize,
            int maxInitialLine, int maxConnectionsPerInstance, int eventLoops, List<String> trustedProxies) {
        this(bindAddress, port, tlsPort, adminPort, clusterDomain, controllerUrl, discoverdUrl, clusterKey, routePoll,
                connectTimeout, responseTimeout, idleTimeout, readTimeout, ejectFor, maxHeaderSize, maxInitialLine,
                maxConnectionsPerInstance, eventLoops, trustedProxies, "", "");
    }

    /** With no trusted proxies, and the router's id and admin host derived from its addresses. */
    public RouterProperties(String bindAddress, int port, int tlsPort, int adminPort, String clusterDomain,
            URI controllerUrl, URI discoverdUrl, String clusterKey, Duration routePoll, Duration connectTimeout,
            Duration responseTimeout, Duration idleTimeout, Duration readTimeout, Duration ejectFor, int maxHeaderSize,
            int maxInitialLine, int maxConnectionsPerInstance, int eventLoops) {
        this(bindAddress, port, tlsPort, adminPort, clusterDomain, controllerUrl, discoverdUrl, clusterKey, routePoll,
                connectTimeout, responseTimeout, idleTimeout, readTimeout, ejectFor, maxHeaderSize, maxInitialLine,
                maxConnectionsPerInstance, eventLoops, List.of(), "", "");
    }

    /** The trusted front proxies, parsed. */
    public TrustedProxies trusted() {
        return TrustedProxies.parse(trustedProxies);
    }

    /** The host other services reach the admin port at. */
    public String adminHost() {
        return advertisedHost.isBlank() ? bindAddress : advertisedHost;
    }

    /** This router's id in discoverd, given the admin port it actually listens on. */
    public String routerId(int boundAdminPort) {
        return id.isBlank() ? ("router-" + adminHost() + "-" + boundAdminPort).toLowerCase(java.util.Locale.ROOT) : id;
    }

    /** The number of event-loop threads to run: {@code eventLoops}, or one per available processor. */
    public int eventLoopThreads() {
        return eventLoops > 0 ? eventLoops : Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
