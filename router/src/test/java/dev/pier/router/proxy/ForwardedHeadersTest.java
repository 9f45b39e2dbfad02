package dev.pier.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
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
        ForwardedHeaders.toUpstream(h, "127.0.0.1", "https", "8443", 1_700_000_000_000L, false);
        assertThat(h.get("X-Forwarded-For")).isEqualTo("10.0.0.1, 127.0.0.1");
        assertThat(h.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(h.get("X-Forwarded-Port")).isEqualTo("8443");
        assertThat(h.get("X-Request-Start")).isEqualTo("t=1700000000000");
        assertThat(h.get("X-Request-Id")).isEqualTo("abc");
        assertThat(h.contains("Connection")).isFalse();
        assertThat(h.get("Host")).isEqualTo("a");

        HttpHeaders tooLong = new DefaultHttpHeaders().add("X-Request-Id", "x".repeat(201));
        ForwardedHeaders.toUpstream(tooLong, "127.0.0.1", "http", "80", 0, false);
        assertThat(tooLong.get("X-Request-Id")).hasSize(36);
    }

    @Test
    void aWebsocketUpgradeKeepsItsUpgradeHeaders() {
        HttpHeaders h = new DefaultHttpHeaders().add("Upgrade", "WebSocket").add("Connection", "keep-alive, Upgrade")
                .add("Sec-WebSocket-Key", "k").add("Sec-WebSocket-Protocol", "chat");
        assertThat(ClientConnection.isWebsocketUpgrade(h)).isTrue();
        ForwardedHeaders.toUpstream(h, "127.0.0.1", "http", "80", 0, true);
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
