package dev.pier.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.router.metrics.RouterMetrics;
import dev.pier.router.table.Backend;
import dev.pier.router.table.RouteTarget;
import dev.pier.router.table.RoutingTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/**
 * The proxy releases every buffer it is handed, on every path: whole requests and responses, bodies both ways,
 * chunked, HEAD, its own answers (404, 503, 502, 504), pipelining, and a client that leaves mid-response. The router
 * runs with Netty's leak detection off, so this test (every buffer tracked: paranoid level, surefire's argLine) is
 * what catches a leak.
 */
class ProxyLeakTest {
    private static final String HOST = "shop.pier.localhost";

    @Test
    void noBufferLeaksOnAnyPathThroughTheProxy() throws Exception {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        int rounds = roundsToSeeALeak();
        RecordingLeakDetector.LEAKS.clear();

        RoutingTable table = new RoutingTable(Duration.ofSeconds(5).toNanos(), System::nanoTime);
        int refused;
        try (ServerSocket s = new ServerSocket(0)) {
            refused = s.getLocalPort();
        }
        try (Upstream up = new Upstream("shop-1");
                ProxyServer proxy = new ProxyServer(ProxyServerTest.props(Duration.ofSeconds(10)), table,
                        new RouterMetrics());
                ProxyServer impatient = new ProxyServer(ProxyServerTest.props(Duration.ofMillis(500)), table,
                        new RouterMetrics())) {
            table.replaceRoutes(Map.of(HOST, new RouteTarget("shop", "shop-web"),
                    "empty.pier.localhost", new RouteTarget("empty", "empty-web"),
                    "gone.pier.localhost", new RouteTarget("gone", "gone-web")));
            table.replaceBackends("shop-web", List.of(new Backend("u", "127.0.0.1", up.port())));
            table.replaceBackends("gone-web", List.of(new Backend("g", "127.0.0.1", refused)));
            HttpClient http = HttpClient.create().baseUrl("http://127.0.0.1:" + proxy.port())
                    .headers(h -> h.set("Host", HOST));

            for (int i = 0; i < 50; i++) {
                assertThat(status(http.get().uri("/x"))).isEqualTo(200);
            }
            for (int i = 0; i < 5; i++) {
                assertThat(status(http.head().uri("/x"))).isEqualTo(200);
            }
            for (int i = 0; i < 3; i++) {
                String length = http.post().uri("/upload")
                        .send(ByteBufFlux(Unpooled.wrappedBuffer(new byte[1 << 20])))
                        .responseSingle((res, body) -> body.asString()).block(Duration.ofSeconds(30));
                assertThat(length).isEqualTo(Integer.toString(1 << 20));
                String chunked = http.headers(h -> h.set("Transfer-Encoding", "chunked")).post().uri("/upload")
                        .send(Flux.range(0, 16).map(n -> (ByteBuf) Unpooled.wrappedBuffer(new byte[8192])))
                        .responseSingle((res, body) -> body.asString()).block(Duration.ofSeconds(30));
                assertThat(chunked).isEqualTo(Integer.toString(16 * 8192));
            }
            for (int i = 0; i < 2; i++) {
                Long bytes = http.get().uri("/download?bytes=" + (5 << 20)).responseContent()
                        .map(b -> (long) b.readableBytes()).reduce(0L, Long::sum).block(Duration.ofSeconds(30));
                assertThat(bytes).isEqualTo(5L << 20);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(status(http.headers(h -> h.set("Host", "nowhere.example")).get().uri("/"))).isEqualTo(404);
                assertThat(status(http.headers(h -> h.set("Host", "empty.pier.localhost")).get().uri("/")))
                        .isEqualTo(503);
                assertThat(status(http.headers(h -> h.set("Host", "gone.pier.localhost")).get().uri("/")))
                        .isEqualTo(502);
            }
            assertThat(status(HttpClient.create().baseUrl("http://127.0.0.1:" + impatient.port())
                    .headers(h -> h.set("Host", HOST)).get().uri("/slow"))).isEqualTo(504);

            try (Socket s = new Socket("127.0.0.1", proxy.port())) { // two pipelined requests, answered in order
                String get = "GET /p%d HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n";
                s.getOutputStream().write((get.formatted(1) + get.formatted(2)).getBytes(StandardCharsets.US_ASCII));
                String answers = readUntil(s.getInputStream(), "shop-1 /p2");
                assertThat(answers.indexOf("shop-1 /p1")).isPositive().isLessThan(answers.indexOf("shop-1 /p2"));
            }
            long read = 0;
            try (Socket s = new Socket("127.0.0.1", proxy.port())) { // a client that leaves in the middle
                OutputStream out = s.getOutputStream();
                out.write(("GET /download?bytes=" + (64 << 20) + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] buf = new byte[65536];
                for (int n = 0; n >= 0 && read < (1 << 20); n = s.getInputStream().read(buf)) {
                    read += n;
                }
            }
            assertThat(read).as("bytes read before leaving").isGreaterThanOrEqualTo(1 << 20);
            assertThat(status(http.get().uri("/after"))).isEqualTo(200);
        }

        drain(rounds);
        assertThat(RecordingLeakDetector.LEAKS).as("buffers leaked by the proxy").isEmpty();
    }

    /** A buffer dropped unreleased is reported: how many gc rounds that took (so a clean result means something). */
    private static int roundsToSeeALeak() {
        drain(3);
        RecordingLeakDetector.LEAKS.clear();
        PooledByteBufAllocator.DEFAULT.directBuffer(64).writeLong(42); // dropped without release: a leak
        int[] rounds = {0};
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            rounds[0]++;
            drain(1);
            return !RecordingLeakDetector.LEAKS.isEmpty();
        });
        assertThat(RecordingLeakDetector.LEAKS.get(0)).startsWith("ByteBuf").contains("roundsToSeeALeak");
        return Math.max(5, rounds[0] * 3);
    }

    /** Collects garbage, then allocates: the detector looks for collected, unreleased buffers as it tracks new ones. */
    private static void drain(int rounds) {
        for (int r = 0; r < rounds; r++) {
            System.gc();
            System.runFinalization();
            for (int i = 0; i < 64; i++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
            }
        }
    }

    private static int status(HttpClient.ResponseReceiver<?> request) {
        return request.responseSingle((res, body) -> body.asString().defaultIfEmpty("")
                .map(s -> res.status().code())).block(Duration.ofSeconds(30));
    }

    private static reactor.netty.ByteBufFlux ByteBufFlux(ByteBuf body) {
        return reactor.netty.ByteBufFlux.fromInbound(Flux.just(body));
    }

    private static String readUntil(InputStream in, String marker) throws java.io.IOException {
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[4096];
        while (got.indexOf(marker) < 0) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        return got.toString();
    }
}
