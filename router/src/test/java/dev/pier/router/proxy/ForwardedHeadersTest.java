package dev.pier.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {

    @Test
    void hopByHopHeadersAndThoseConnectionNamesAreDropped() {
        HttpHeaders in = new DefaultHttpHeaders()
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
        HttpHeaders out = ForwardedHeaders.copyEndToEnd(in);
        assertThat(out.names()).containsExactlyInAnyOrder("Host", "Accept", "Cookie");
        assertThat(out.getAll("Cookie")).containsExactly("a=1", "b=2");
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
        HttpHeaders in = new DefaultHttpHeaders().add("Host", "a").add("X-Forwarded-For", "10.0.0.1")
                .add("X-Request-Id", "abc");
        HttpHeaders out = ForwardedHeaders.upstream(in, "127.0.0.1", "https", 8443, 1_700_000_000_000L);
        assertThat(out.get("X-Forwarded-For")).isEqualTo("10.0.0.1, 127.0.0.1");
        assertThat(out.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(out.get("X-Forwarded-Port")).isEqualTo("8443");
        assertThat(out.get("X-Request-Start")).isEqualTo("t=1700000000000");
        assertThat(out.get("X-Request-Id")).isEqualTo("abc");

        HttpHeaders tooLong = new DefaultHttpHeaders().add("X-Request-Id", "x".repeat(201));
        assertThat(ForwardedHeaders.upstream(tooLong, "127.0.0.1", "http", 80, 0).get("X-Request-Id"))
                .hasSize(36).isNotEqualTo("x".repeat(201));
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
    void onlySmallResponsesOfKnownLengthAreRelayedWhole() {
        HttpHeaders small = new DefaultHttpHeaders().add("Content-Length", "20");
        assertThat(ProxyServer.sendWhole(HttpMethod.GET, 200, small)).isTrue();
        assertThat(ProxyServer.sendWhole(HttpMethod.POST, 404, small)).isTrue();
        assertThat(ProxyServer.sendWhole(HttpMethod.GET, 200,
                new DefaultHttpHeaders().add("Content-Length", Integer.toString(ProxyServer.WHOLE_BODY_LIMIT))))
                .isTrue();
        // streamed: too big, unknown length, chunked, no body by definition, nonsense length
        assertThat(ProxyServer.sendWhole(HttpMethod.GET, 200,
                new DefaultHttpHeaders().add("Content-Length", Integer.toString(ProxyServer.WHOLE_BODY_LIMIT + 1))))
                .isFalse();
        assertThat(ProxyServer.sendWhole(HttpMethod.GET, 200, new DefaultHttpHeaders())).isFalse();
        assertThat(ProxyServer.sendWhole(HttpMethod.GET, 200,
                new DefaultHttpHeaders().add("Content-Length", "20").add("Transfer-Encoding", "chunked"))).isFalse();
        assertThat(ProxyServer.sendWhole(HttpMethod.HEAD, 200, small)).isFalse();
        assertThat(ProxyServer.sendWhole(HttpMethod.GET, 204, small)).isFalse();
        assertThat(ProxyServer.sendWhole(HttpMethod.GET, 304, small)).isFalse();
        assertThat(ProxyServer.sendWhole(HttpMethod.GET, 200, new DefaultHttpHeaders().add("Content-Length", "0")))
                .isFalse();
        assertThat(ProxyServer.sendWhole(HttpMethod.GET, 200, new DefaultHttpHeaders().add("Content-Length", "-1")))
                .isFalse();
        assertThat(ProxyServer.sendWhole(HttpMethod.GET, 200,
                new DefaultHttpHeaders().add("Content-Length", "99999999999"))).isFalse();
    }

    @Test
    void theUpstreamPoolSizeIsSharedOutAmongEventLoops() {
        assertThat(Upstreams.perLoop(500, 2)).isEqualTo(250);
        assertThat(Upstreams.perLoop(501, 2)).isEqualTo(251);
        assertThat(Upstreams.perLoop(1, 4)).isEqualTo(1);
    }
}
