package dev.pier.router.tls;

import dev.pier.api.Route;
import dev.pier.api.tls.PemCredentials;
import dev.pier.router.table.RoutingTable;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The TLS certificates of the routes: domain → server {@link SslContext}, for choosing a certificate by SNI.
 * {@link #replace} rebuilds the map from a route list (a context is reused while its route's PEM text is
 * unchanged); a route whose certificate or key cannot be used is logged and left out, and the others keep
 * working. Reads take no lock: the map is swapped whole.
 */
public final class Certificates {
    private static final System.Logger LOG = System.getLogger(Certificates.class.getName());

    private record Pem(String cert, String key) {
        @Override
        public String toString() {
            return "Pem[...]"; // never log key material
        }
    }

    private record Entry(Pem pem, SslContext context) {
    }

    private volatile Map<String, Entry> byDomain = Map.of();
    /** PEM text that could not be used, by domain: not parsed (nor logged) again until it changes. */
    private Map<String, Pem> unusable = Map.of();

    /** Replaces every certificate with those of {@code routes} (routes without TLS are ignored). */
    public synchronized void replace(List<Route> routes) {
        Map<String, Entry> previous = byDomain;
        Map<String, Entry> next = new HashMap<>();
        Map<String, Pem> nextUnusable = new HashMap<>();
        for (Route route : routes) {
            if (route.domain() == null || route.tlsCert() == null && route.tlsKey() == null) {
                continue;
            }
            String domain = route.domain().toLowerCase(Locale.ROOT);
            Pem pem = new Pem(route.tlsCert(), route.tlsKey());
            Entry old = previous.get(domain);
            if (old != null && old.pem().equals(pem)) {
                next.put(domain, old);
                continue;
            }
            if (pem.equals(unusable.get(domain))) {
                nextUnusable.put(domain, pem);
                continue;
            }
            try {
                next.put(domain, new Entry(pem, serverContext(PemCredentials.parse(pem.cert(), pem.key()))));
                LOG.log(System.Logger.Level.INFO, "event=tls-certificate-loaded app=" + route.app() + " domain="
                        + domain);
            } catch (IllegalArgumentException | SSLException e) {
                LOG.log(System.Logger.Level.WARNING, "event=tls-certificate-skipped app=" + route.app() + " domain="
                        + domain + " error=\"" + e.getMessage() + "\"");
                nextUnusable.put(domain, pem);
            }
        }
        byDomain = Map.copyOf(next);
        unusable = nextUnusable;
    }

    /**
     * The context for an SNI host name: the route of that exact name, else a {@code *.} wildcard route for its
     * parent domain; null when there is none (or no name was sent).
     */
    public SslContext find(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return null;
        }
        Map<String, Entry> map = byDomain;
        String name = serverName.toLowerCase(Locale.ROOT);
        Entry e = map.get(name);
        if (e == null) {
            String wildcard = RoutingTable.wildcardOf(name);
            e = wildcard == null ? null : map.get(wildcard);
        }
        return e == null ? null : e.context();
    }

    /** The domains that have a usable certificate. */
    public java.util.Set<String> domains() {
        return byDomain.keySet();
    }

    static SslContext serverContext(PemCredentials credentials) throws SSLException {
        Objects.requireNonNull(credentials);
        return SslContextBuilder.forServer(credentials.key(), credentials.chainArray())
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .clientAuth(ClientAuth.NONE)
                .applicationProtocolConfig(ApplicationProtocolConfig.DISABLED)
                .build();
    }
}
