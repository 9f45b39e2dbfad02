package dev.pier.router;

import dev.pier.router.config.Settings;
import dev.pier.router.proxy.TrustedProxies;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code pier.router.*}: where the router listens and whom it asks for routes and instances; read by {@link #from}
 * (defaults there), checked here.
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
 * @param deadInstanceTimeout how long an instance's host may leave what the router sent unacknowledged, or stay
 *                         silent to keep-alive probes, before its connection counts as dead (0: the kernel's own,
 *                         minutes); see {@code UpstreamLiveness}
 */
public record RouterProperties(
        String bindAddress,
        int port,
        int tlsPort,
        int adminPort,
        String clusterDomain,
        URI controllerUrl,
        URI discoverdUrl,
        String clusterKey,
        Duration routePoll,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration idleTimeout,
        Duration readTimeout,
        Duration ejectFor,
        int maxHeaderSize,
        int maxInitialLine,
        int maxConnectionsPerInstance,
        int eventLoops,
        List<String> trustedProxies,
        String id,
        String advertisedHost,
        Duration deadInstanceTimeout) {

    /**
     * A host that acknowledges nothing for this long is taken for dead: a LAN acknowledges within a millisecond, and
     * Linux sends a lost segment again after 0.2 and 0.6 s, so only a host that is gone, or a network that is
     * broken, stays silent for a second.
     */
    public static final Duration DEFAULT_DEAD_INSTANCE_TIMEOUT = Duration.ofSeconds(1);

    /** Environment variables the router has always been set by, beside the ones named after each property. */
    public static final Map<String, String> ENVIRONMENT_ALIASES = Map.of(
            "pier.router.cluster-key", "PIER_CLUSTER_KEY",
            "pier.router.bind-address", "PIER_ROUTER_ADDRESS");

    public RouterProperties {
        required("pier.router.bind-address", bindAddress);
        required("pier.router.cluster-domain", clusterDomain);
        required("pier.router.cluster-key", clusterKey);
        for (Object[] set : new Object[][] {{"pier.router.controller-url", controllerUrl},
                {"pier.router.discoverd-url", discoverdUrl}, {"pier.router.route-poll", routePoll},
                {"pier.router.connect-timeout", connectTimeout}, {"pier.router.response-timeout", responseTimeout},
                {"pier.router.idle-timeout", idleTimeout}, {"pier.router.read-timeout", readTimeout},
                {"pier.router.eject-for", ejectFor}, {"pier.router.dead-instance-timeout", deadInstanceTimeout}}) {
            if (set[1] == null) {
                throw new IllegalArgumentException(set[0] + ": must be set");
            }
        }
        within("pier.router.port", port, 0, 65535);
        within("pier.router.tls-port", tlsPort, 0, 65535);
        within("pier.router.admin-port", adminPort, 0, 65535);
        within("pier.router.max-header-size", maxHeaderSize, 1024, Integer.MAX_VALUE);
        within("pier.router.max-initial-line", maxInitialLine, 256, Integer.MAX_VALUE);
        within("pier.router.max-connections-per-instance", maxConnectionsPerInstance, 1, Integer.MAX_VALUE);
        within("pier.router.event-loops", eventLoops, 0, 256);
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        try {
            TrustedProxies.parse(trustedProxies);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pier.router.trusted-proxies: " + e.getMessage(), e);
        }
        if (deadInstanceTimeout.isNegative() || deadInstanceTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("pier.router.dead-instance-timeout: " + deadInstanceTimeout.toMillis()
                    + "ms is out of range: it must be from 0 (the kernel's own) to 1h");
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
                maxConnectionsPerInstance, eventLoops, trustedProxies, "", "", DEFAULT_DEAD_INSTANCE_TIMEOUT);
    }

    /** With no trusted proxies, and the router's id and admin host derived from its addresses. */
    public RouterProperties(String bindAddress, int port, int tlsPort, int adminPort, String clusterDomain,
            URI controllerUrl, URI discoverdUrl, String clusterKey, Duration routePoll, Duration connectTimeout,
            Duration responseTimeout, Duration idleTimeout, Duration readTimeout, Duration ejectFor, int maxHeaderSize,
            int maxInitialLine, int maxConnectionsPerInstance, int eventLoops) {
        this(bindAddress, port, tlsPort, adminPort, clusterDomain, controllerUrl, discoverdUrl, clusterKey, routePoll,
                connectTimeout, responseTimeout, idleTimeout, readTimeout, ejectFor, maxHeaderSize, maxInitialLine,
                maxConnectionsPerInstance, eventLoops, List.of(), "", "", DEFAULT_DEAD_INSTANCE_TIMEOUT);
    }

    /** {@code pier.router.*} from the settings, each unset one at its default (docs/router.md lists them). */
    public static RouterProperties from(Settings s) {
        return new RouterProperties(
                s.string("pier.router.bind-address", "127.0.0.1"),
                s.integer("pier.router.port", 8080),
                s.integer("pier.router.tls-port", 8443),
                s.integer("pier.router.admin-port", 8081),
                s.string("pier.router.cluster-domain", "pier.localhost"),
                s.uri("pier.router.controller-url", URI.create("http://127.0.0.1:8300")),
                s.uri("pier.router.discoverd-url", URI.create("http://127.0.0.1:8310")),
                s.string("pier.router.cluster-key", ""),
                s.duration("pier.router.route-poll", Duration.ofSeconds(5)),
                s.duration("pier.router.connect-timeout", Duration.ofSeconds(1)),
                s.duration("pier.router.response-timeout", Duration.ofSeconds(60)),
                s.duration("pier.router.idle-timeout", Duration.ofSeconds(75)),
                s.duration("pier.router.read-timeout", Duration.ofSeconds(30)),
                s.duration("pier.router.eject-for", Duration.ofSeconds(5)),
                s.integer("pier.router.max-header-size", 16384),
                s.integer("pier.router.max-initial-line", 8192),
                s.integer("pier.router.max-connections-per-instance", 500),
                s.integer("pier.router.event-loops", 0),
                s.list("pier.router.trusted-proxies"),
                s.string("pier.router.id", ""),
                s.string("pier.router.advertised-host", ""),
                s.duration("pier.router.dead-instance-timeout", DEFAULT_DEAD_INSTANCE_TIMEOUT));
    }

    private static void required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + ": must be set"
                    + (name.endsWith("cluster-key") ? " (env PIER_CLUSTER_KEY: the key every Pier service shares)" : ""));
        }
    }

    private static void within(String name, int value, int min, int max) {
        if (value < min || value > max) {
            String range = max == Integer.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
            throw new IllegalArgumentException(name + ": " + value + " is out of range: it must be " + range);
        }
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
