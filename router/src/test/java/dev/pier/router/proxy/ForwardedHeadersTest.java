package dev.pier.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {

    @Test
    void hopByHopHeadersAndThoseConnectionNamesAreDropped() {
        HttpHeaders h = new DefaultHttpHeaders()
                .add("Host", "shop.pier.localhost")
                .add("Connection", "keep-alive, X-Secret")
                .add("Keep-Alive", "timeout=5")
                .add("x-secret", "s")
                .add("TE", "trailers")
                .add("Trailer", "Expires")
                .add("Transfer-Encoding", "chunked")
                .add("Upgrade", "h2c")
                .add("Proxy-Connection", "keep-alive")
                .add("Proxy-Authorization", "Basic x")
                .add("Proxy-Authenticate", "Basic")
                .add("Accept", "text/html")
                .add("Cookie", "a=1")
                .add("Cookie", "b=2");
        ForwardedHeaders.dropHopByHop(h);
        assertThat(h.names()).containsExactlyInAnyOrder("Host", "Accept", "Cookie");
        assertThat(h.getAll("Cookie")).containsExactly("a=1", "b=2");
    }

    @Test
    void hopByHopNamesMatchInAnyCaseAndOnlyExactly() {
        for (String name : new String[] {"connection", "KEEP-ALIVE", "Te", "trailer", "Transfer-Encoding", "upgrade",
                "proxy-connection", "Proxy-Authenticate", "PROXY-AUTHORIZATION"}) {
            assertThat(ForwardedHeaders.isHopByHop(name)).as(name).isTrue();
        }
        for (String name : new String[] {"Trailers", "Tea", "Upgrade-Insecure-Requests", "Proxy-Status", "Accept",
                "Connection-Id", "X-Forwarded-For", ""}) {
            assertThat(ForwardedHeaders.isHopByHop(name)).as(name).isFalse();
        }
    }

    @Test
    void forwardedHeadersAreAddedAndAClientRequestIdIsKept() {
        HttpHeaders h = new DefaultHttpHeaders().add("Host", "a").add("X-Forwarded-For", "10.0.0.1")
                .add("X-Request-Id", "abc").add("Connection", "keep-alive");
        ForwardedHeaders.toUpstream(h, "127.0.0.1", "https", "8443", 1_700_000_000_000L, false, false);
        assertThat(h.get("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(h.get("X-Forwarded-Host")).isEqualTo("a");
        assertThat(h.get("Forwarded")).isEqualTo("for=127.0.0.1;host=a;proto=https");
        assertThat(h.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(h.get("X-Forwarded-Port")).isEqualTo("8443");
        assertThat(h.get("X-Request-Start")).isEqualTo("t=1700000000000");
        assertThat(h.get("X-Request-Id")).isEqualTo("abc");
        assertThat(h.contains("Connection")).isFalse();
        assertThat(h.get("Host")).isEqualTo("a");

        HttpHeaders tooLong = new DefaultHttpHeaders().add("X-Request-Id", "x".repeat(201));
        ForwardedHeaders.toUpstream(tooLong, "127.0.0.1", "http", "80", 0, false, false);
        assertThat(tooLong.get("X-Request-Id")).hasSize(36);
    }

    /** Issue #17 item 11: the forwarding headers are treated alike, the client's replaced unless it is trusted. */
    @Test
    void aClientsForwardingHeadersAreReplacedUnlessItIsATrustedProxy() {
        HttpHeaders untrusted = lies();
        ForwardedHeaders.toUpstream(untrusted, "192.0.2.7", "http", "8080", 0, false, false);
        assertThat(untrusted.getAll("Forwarded")).containsExactly("for=192.0.2.7;host=\"shop.example.com:8080\";proto=http");
        assertThat(untrusted.getAll("X-Forwarded-For")).containsExactly("192.0.2.7");
        assertThat(untrusted.getAll("X-Forwarded-Host")).containsExactly("shop.example.com:8080");
        assertThat(untrusted.getAll("X-Forwarded-Proto")).containsExactly("http");
        assertThat(untrusted.getAll("X-Forwarded-Port")).containsExactly("8080");

        HttpHeaders trusted = lies();
        ForwardedHeaders.toUpstream(trusted, "10.0.0.2", "http", "8080", 0, false, true);
        assertThat(trusted.getAll("Forwarded")).containsExactly(
                "for=203.0.113.9;proto=https, for=198.51.100.1, for=10.0.0.2;host=\"shop.example.com:8080\";proto=http");
        assertThat(trusted.getAll("X-Forwarded-For")).containsExactly("203.0.113.9, 198.51.100.1, 10.0.0.2");
        assertThat(trusted.getAll("X-Forwarded-Host")).containsExactly("shop.example.com");
        assertThat(trusted.getAll("X-Forwarded-Proto")).containsExactly("https");
        assertThat(trusted.getAll("X-Forwarded-Port")).containsExactly("443");

        assertThat(ForwardedHeaders.forwardedElement("2001:db8::1", "a.b", "https"))
                .isEqualTo("for=\"[2001:db8::1]\";host=a.b;proto=https");
        assertThat(ForwardedHeaders.forwardedElement("127.0.0.1", null, "http")).isEqualTo("for=127.0.0.1;proto=http");
    }

    private static HttpHeaders lies() {
        return new DefaultHttpHeaders().add("Host", "shop.example.com:8080")
                .add("Forwarded", "for=203.0.113.9;proto=https").add("Forwarded", "for=198.51.100.1")
                .add("X-Forwarded-For", "203.0.113.9").add("X-Forwarded-For", "198.51.100.1")
                .add("X-Forwarded-Host", "shop.example.com").add("X-Forwarded-Proto", "https")
                .add("X-Forwarded-Port", "443");
    }

    @Test
    void trustedProxiesAreAddressesAndNetworks() throws Exception {
        TrustedProxies trusted = TrustedProxies.parse(java.util.List.of("10.0.0.0/8", " 192.0.2.5 ", "2001:db8::/32", ""));
        assertThat(trusted.contains(java.net.InetAddress.getByName("10.200.3.4"))).isTrue();
        assertThat(trusted.contains(java.net.InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(trusted.contains(java.net.InetAddress.getByName("192.0.2.5"))).isTrue();
        assertThat(trusted.contains(java.net.InetAddress.getByName("192.0.2.6"))).isFalse();
        assertThat(trusted.contains(java.net.InetAddress.getByName("2001:db8:1::9"))).isTrue();
        assertThat(trusted.contains(java.net.InetAddress.getByName("2001:db9::9"))).isFalse();
        assertThat(TrustedProxies.parse(java.util.List.of("172.16.0.0/12")).contains(
                java.net.InetAddress.getByName("172.31.255.255"))).isTrue();
        assertThat(TrustedProxies.parse(java.util.List.of("172.16.0.0/12")).contains(
                java.net.InetAddress.getByName("172.32.0.0"))).isFalse();
        assertThat(TrustedProxies.none().contains(java.net.InetAddress.getByName("127.0.0.1"))).isFalse();
        for (String bad : new String[] {"proxy.example.com", "10.0.0.0/33", "10.0.0.0/x", "::1/129", "1.2.3.4.5"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrustedProxies.parse(java.util.List.of(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
    }

    @Test
    void aRequestHeadWithTwoHostsOrAnUnknownCodingIsRefused() {
        assertThat(RequestHead.check(request(HttpVersion.HTTP_1_1, "Host", "a", "Host", "b")).status().code())
                .isEqualTo(400);
        assertThat(RequestHead.check(request(HttpVersion.HTTP_1_1))).extracting(r -> r.status().code()).isEqualTo(400);
        assertThat(RequestHead.check(request(HttpVersion.HTTP_1_0))).isNull();
        assertThat(RequestHead.check(request(HttpVersion.HTTP_1_1, "Host", "a"))).isNull();
        assertThat(RequestHead.check(request(HttpVersion.HTTP_1_1, "Host", "a", "Transfer-Encoding", "Chunked")))
                .isNull();
        for (String coding : new String[] {"xchunked", "gzip, chunked", "identity", "chunked,x"}) {
            RequestHead.Refusal refusal = RequestHead.check(request(HttpVersion.HTTP_1_1, "Host", "a",
                    "Transfer-Encoding", coding));
            assertThat(refusal.status().code()).as(coding).isEqualTo(501);
            assertThat(refusal.close()).isTrue();
        }
        assertThat(RequestHead.check(request(HttpVersion.HTTP_1_1, "Host", "a", "Transfer-Encoding", "chunked",
                "Transfer-Encoding", "chunked")).status().code()).isEqualTo(400);
    }

    private static io.netty.handler.codec.http.HttpRequest request(HttpVersion version, String... headers) {
        var request = new io.netty.handler.codec.http.DefaultHttpRequest(version,
                io.netty.handler.codec.http.HttpMethod.POST, "/");
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    @Test
    void aWebsocketUpgradeKeepsItsUpgradeHeaders() {
        HttpHeaders h = new DefaultHttpHeaders().add("Upgrade", "WebSocket").add("Connection", "keep-alive, Upgrade")
                .add("Sec-WebSocket-Key", "k").add("Sec-WebSocket-Protocol", "chat");
        assertThat(ClientConnection.isWebsocketUpgrade(h)).isTrue();
        ForwardedHeaders.toUpstream(h, "127.0.0.1", "http", "80", 0, true, false);
        assertThat(h.get("Upgrade")).isEqualTo("websocket");
        assertThat(h.get("Connection")).isEqualToIgnoringCase("upgrade");
        assertThat(h.get("Sec-WebSocket-Key")).isEqualTo("k");
        assertThat(h.get("Sec-WebSocket-Protocol")).isEqualTo("chat");
        assertThat(ClientConnection.isWebsocketUpgrade(new DefaultHttpHeaders().add("Upgrade", "h2c")
                .add("Connection", "Upgrade"))).isFalse();
    }

    @Test
    void newRequestIdsAreDistinctVersionFourUuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = ForwardedHeaders.newRequestId();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            seen.add(id);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void anAbsoluteRequestTargetIsSentOnInOriginForm() {
        assertThat(ClientConnection.originForm("http://shop.example.com/a/b?c=1")).isEqualTo("/a/b?c=1");
        assertThat(ClientConnection.originForm("http://shop.example.com")).isEqualTo("/");
        assertThat(ClientConnection.originForm("http://shop.example.com?x=1")).isEqualTo("/?x=1");
        assertThat(ClientConnection.originForm("https://shop.example.com:8443/p")).isEqualTo("/p");
    }

    @Test
    void theUpstreamPoolSizeIsSharedOutAmongEventLoops() {
        assertThat(UpstreamPool.perLoop(500, 2)).isEqualTo(250);
        assertThat(UpstreamPool.perLoop(501, 2)).isEqualTo(251);
        assertThat(UpstreamPool.perLoop(1, 4)).isEqualTo(1);
    }
}
