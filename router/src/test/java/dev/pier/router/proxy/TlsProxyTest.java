package dev.pier.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pier.api.Route;
import dev.pier.router.metrics.RouterMetrics;
import dev.pier.router.source.InstanceSource;
import dev.pier.router.source.RouteSource;
import dev.pier.router.source.RouteSync;
import dev.pier.router.table.Backend;
import dev.pier.router.table.RoutingTable;
import dev.pier.router.tls.Certificates;
import dev.pier.testkit.TestCertificates;
import dev.pier.testkit.TestCertificates.Pair;
import dev.pier.testkit.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTPS with SNI through the real proxy: certificates made by openssl, routes fed through {@link RouteSync}, real
 * upstream servers, and real TLS clients (the JDK's JSSE with SNI and host name verification, and curl).
 */
class TlsProxyTest {
    private static Pair shop;
    private static Pair blog;
    private static Pair extra;
    private static Pair wild;

    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final Map<String, List<Backend>> instances = new ConcurrentHashMap<>();
    private final RoutingTable table = new RoutingTable(Duration.ofSeconds(5).toNanos(), System::nanoTime);
    private final Certificates certificates = new Certificates();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private ProxyServer proxy;
    private RouteSync sync;

    @BeforeAll
    static void makeCertificates() {
        shop = TestCertificates.selfSigned("shop.example.test");
        blog = TestCertificates.selfSigned("blog.example.test");
        extra = TestCertificates.selfSigned("extra.example.test");
        wild = TestCertificates.selfSigned("*.wild.example.test");
    }

    @BeforeEach
    void start() throws IOException {
        Upstream shopUp = new Upstream("shop-1");
        Upstream blogUp = new Upstream("blog-1");
        closing.add(shopUp);
        closing.add(blogUp);
        instances.put("shop-web", List.of(new Backend("shop-1", "127.0.0.1", shopUp.port())));
        instances.put("blog-web", List.of(new Backend("blog-1", "127.0.0.1", blogUp.port())));
        routes.add(route("shop", shop.domain(), shop.certPem(), shop.keyPem()));
        routes.add(route("blog", blog.domain(), blog.certPem(), blog.keyPem()));
        RouteSource source = new RouteSource() {
            @Override
            public List<Route> routes() {
                return List.copyOf(routes);
            }

            @Override
            public AutoCloseable onChange(Runnable onChange) {
                return () -> { };
            }
        };
        InstanceSource instanceSource = (service, onChange) -> {
            onChange.accept(instances.getOrDefault(service, List.of()));
            return () -> { };
        };
        sync = new RouteSync(source, instanceSource, table);
        sync.onRoutes(certificates::replace);
        sync.start(Duration.ofMillis(100));
        closing.add(sync);
        proxy = new ProxyServer(ProxyServerTest.props(Duration.ofSeconds(10)), table, new RouterMetrics(),
                certificates);
        closing.add(proxy);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private static Route route(String app, String domain, String cert, String key) {
        return new Route(UUID.randomUUID(), app, domain, app + "-web", cert, key, Instant.now());
    }

    record Answer(X509Certificate peer, int status, Map<String, String> headers, String body) {
    }

    /** One HTTPS request by JSSE: SNI {@code name} (none when null), host name verified against it. */
    private Answer get(String name, SSLContext trust) throws IOException {
        try (Socket raw = new Socket("127.0.0.1", proxy.tlsPort());
                SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(raw,
                        name == null ? "127.0.0.1" : name, proxy.tlsPort(), true)) {
            tls.setSoTimeout(10_000);
            SSLParameters params = tls.getSSLParameters();
            if (name != null) {
                params.setEndpointIdentificationAlgorithm("HTTPS");
            } else {
                params.setServerNames(List.of());
            }
            tls.setSSLParameters(params);
            tls.startHandshake();
            X509Certificate peer = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            OutputStream out = tls.getOutputStream();
            out.write(("GET /hello HTTP/1.1\r\nHost: " + name + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parse(peer, tls.getInputStream());
        }
    }

    private static Answer parse(X509Certificate peer, InputStream in) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, split).split("\r\n");
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
        return new Answer(peer, Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(split + 4));
    }

    private static String cn(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    @Test
    void eachDomainPresentsItsOwnCertificateAndReachesItsOwnApp() throws Exception {
        SSLContext trustBoth = TestCertificates.trusting(shop, blog);
        Answer a = get(shop.domain(), trustBoth);
        assertThat(cn(a.peer())).isEqualTo("CN=shop.example.test");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("shop-1 /hello");
        assertThat(a.headers().get("Echo-X-Forwarded-Proto")).isEqualTo("https");
        assertThat(a.headers().get("Echo-X-Forwarded-Port")).isEqualTo(Integer.toString(proxy.tlsPort()));

        Answer b = get(blog.domain(), trustBoth);
        assertThat(cn(b.peer())).isEqualTo("CN=blog.example.test");
        assertThat(b.body()).isEqualTo("blog-1 /hello");

        // a client that trusts only blog's certificate accepts blog's handshake and refuses shop's
        SSLContext trustBlog = TestCertificates.trusting(blog);
        assertThat(get(blog.domain(), trustBlog).status()).isEqualTo(200);
        assertThatThrownBy(() -> get(shop.domain(), trustBlog)).isInstanceOf(SSLException.class);

        // curl (OpenSSL) too, with the name resolved to the loopback address
        Path ca = Files.createTempFile("pier-router-ca-", ".pem");
        try {
            Files.writeString(ca, blog.certPem());
            String body = Command.check(Duration.ofSeconds(30), List.of("curl", "-sS", "--max-time", "10",
                    "--resolve", blog.domain() + ":" + proxy.tlsPort() + ":127.0.0.1", "--cacert", ca.toString(),
                    "https://" + blog.domain() + ":" + proxy.tlsPort() + "/from-curl"));
            assertThat(body).isEqualTo("blog-1 /from-curl");
        } finally {
            Files.deleteIfExists(ca);
        }
    }

    @Test
    void anUnknownNameOrNoNameIsRefusedWithATlsAlert() {
        SSLContext trust = TestCertificates.trusting(shop, blog);
        assertThatThrownBy(() -> get("nope.example.test", trust)).isInstanceOf(SSLException.class)
                .hasMessageContaining("unrecognized_name");
        assertThatThrownBy(() -> get(null, trust)).isInstanceOf(SSLException.class)
                .hasMessageContaining("handshake_failure");
    }

    @Test
    void aRouteWithUnusablePemIsSkippedAndTheOthersKeepWorking() throws Exception {
        routes.add(route("bad", "bad.example.test", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                extra.keyPem()));
        routes.add(route("mixed", "mixed.example.test", extra.certPem(), shop.keyPem()));
        routes.add(route("extra", extra.domain(), extra.certPem(), extra.keyPem()));
        await().atMost(Duration.ofSeconds(5)).until(() -> certificates.domains().contains(extra.domain()));
        assertThat(certificates.domains()).containsExactlyInAnyOrder(shop.domain(), blog.domain(), extra.domain());

        SSLContext trust = TestCertificates.trusting(shop, blog, extra);
        assertThat(get(shop.domain(), trust).body()).isEqualTo("shop-1 /hello");
        assertThat(cn(get(extra.domain(), trust).peer())).isEqualTo("CN=extra.example.test");
        assertThatThrownBy(() -> get("bad.example.test", trust)).hasMessageContaining("unrecognized_name");
        assertThatThrownBy(() -> get("mixed.example.test", trust)).hasMessageContaining("unrecognized_name");
    }

    @Test
    void certificatesFollowRouteChanges() throws Exception {
        SSLContext trust = TestCertificates.trusting(shop, blog, extra);
        assertThatThrownBy(() -> get(extra.domain(), trust)).hasMessageContaining("unrecognized_name");
        Route added = route("shop", extra.domain(), extra.certPem(), extra.keyPem());
        routes.add(added);
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> get(extra.domain(), trust).body().equals("shop-1 /hello"));
        routes.remove(added);
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .untilAsserted(() -> assertThatThrownBy(() -> get(extra.domain(), trust))
                        .hasMessageContaining("unrecognized_name"));
        assertThat(get(shop.domain(), trust).status()).isEqualTo(200);
    }

    @Test
    void aWildcardRouteCoversOneLabel() throws Exception {
        routes.add(route("blog", wild.domain(), wild.certPem(), wild.keyPem()));
        await().atMost(Duration.ofSeconds(5)).until(() -> certificates.domains().contains(wild.domain()));
        SSLContext trust = TestCertificates.trusting(wild);
        Answer a = get("a.wild.example.test", trust);
        assertThat(cn(a.peer())).isEqualTo("CN=*.wild.example.test");
        assertThat(a.body()).isEqualTo("blog-1 /hello");
        assertThatThrownBy(() -> get("a.b.wild.example.test", trust)).hasMessageContaining("unrecognized_name");
        assertThat(wild.domain().toLowerCase(Locale.ROOT)).startsWith("*.");
    }
}
