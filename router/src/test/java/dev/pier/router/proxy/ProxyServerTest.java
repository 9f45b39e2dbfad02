package dev.pier.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.router.RouterProperties;
import dev.pier.router.metrics.AppSeries;
import dev.pier.router.metrics.RouterMetrics;
import dev.pier.router.table.Backend;
import dev.pier.router.table.RouteTarget;
import dev.pier.router.table.RoutingTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/** The proxy against real upstream HTTP servers on 127.0.0.1, the table filled directly. */
class ProxyServerTest {
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final RoutingTable table = new RoutingTable(Duration.ofSeconds(5).toNanos(), System::nanoTime);
    private final RouterMetrics metrics = new RouterMetrics();
    private ProxyServer proxy;
    private HttpClient http;

    static RouterProperties props(Duration responseTimeout) {
        return props(responseTimeout, List.of());
    }

    static RouterProperties props(Duration responseTimeout, List<String> trustedProxies) {
        return props(responseTimeout, trustedProxies, 2);
    }

    static RouterProperties props(Duration responseTimeout, List<String> trustedProxies, int eventLoops) {
        return new RouterProperties("127.0.0.1", 0, 0, 0, "pier.localhost", URI.create("http://127.0.0.1:1"),
                URI.create("http://127.0.0.1:1"), "key", Duration.ofSeconds(5), Duration.ofSeconds(1),
                responseTimeout, Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(5), 8192,
                4096, 64, eventLoops, trustedProxies);
    }

    @BeforeEach
    void start() {
        proxy = new ProxyServer(props(Duration.ofSeconds(10)), table, metrics);
        closing.add(proxy);
        http = HttpClient.create().baseUrl("http://127.0.0.1:" + proxy.port()).responseTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private Upstream upstream(String name) throws IOException {
        Upstream u = new Upstream(name);
        closing.add(u);
        return u;
    }

    private static Backend backend(Upstream u) {
        return new Backend(u.name, "127.0.0.1", u.port());
    }

    record Answer(int status, HttpHeaders headers, String body) {
    }

    private Answer get(String host, String path, Map<String, String> headers) {
        return http.headers(h -> {
            h.set("Host", host);
            headers.forEach(h::set);
        }).get().uri(path).responseSingle((res, body) -> body.asString().defaultIfEmpty("")
                .map(s -> new Answer(res.status().code(), res.responseHeaders(), s))).block(Duration.ofSeconds(30));
    }

    @Test
    void routesByHostAndAddsForwardedHeaders() throws IOException {
        Upstream shop = upstream("shop-1");
        Upstream blog = upstream("blog-1");
        table.replaceRoutes(Map.of("shop.pier.localhost", new RouteTarget("shop", "shop-web"),
                "blog.example.com", new RouteTarget("blog", "blog-web")));
        table.replaceBackends("shop-web", List.of(backend(shop)));
        table.replaceBackends("blog-web", List.of(backend(blog)));

        Answer a = get("shop.pier.localhost:" + proxy.port(), "/x?y=1", Map.of());
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("shop-1 /x?y=1");
        assertThat(a.headers().get("Echo-X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(a.headers().get("Echo-X-Forwarded-Proto")).isEqualTo("http");
        assertThat(a.headers().get("Echo-X-Forwarded-Port")).isEqualTo(Integer.toString(proxy.port()));
        assertThat(a.headers().get("Echo-X-Request-Id")).matches("[0-9a-f-]{36}");
        assertThat(a.headers().get("Echo-X-Request-Start")).matches("t=\\d{13}");
        assertThat(a.headers().get("Echo-Host")).isEqualTo("shop.pier.localhost:" + proxy.port());

        Answer b = get("BLOG.example.com", "/", Map.of("X-Request-Id", "abc-123"));
        assertThat(b.body()).isEqualTo("blog-1 /");
        assertThat(b.headers().get("Echo-X-Request-Id")).isEqualTo("abc-123");
        assertThat(b.headers().get("Echo-X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(b.headers().get("Echo-X-Forwarded-Host")).isEqualTo("BLOG.example.com");
        assertThat(b.headers().get("Echo-Forwarded")).isEqualTo("for=127.0.0.1;host=BLOG.example.com;proto=http");
        assertThat(metrics.prometheus())
                .contains("pier_router_requests_total{app=\"shop\",process_type=\"web\",status_class=\"2xx\"} 1.0")
                .contains("pier_router_request_duration_seconds_count{app=\"blog\",process_type=\"web\"} 1");
    }

    /**
     * Issue #17 item 11: a client's own Forwarded and X-Forwarded-Host went to the app unchanged (and its
     * X-Forwarded-For was appended to), while the router set X-Forwarded-Proto and -Port itself: an app could not
     * tell the router's word from the client's. Now all of them are the router's own, unless the client is a
     * trusted proxy ({@code pier.router.trusted-proxies}), whose word is kept and added to.
     */
    @Test
    void clientSentForwardedHeadersAreReplacedByTheRoutersOwn() throws IOException {
        Upstream shop = upstream("shop-1");
        table.replaceRoutes(Map.of("shop.pier.localhost", new RouteTarget("shop", "shop-web")));
        table.replaceBackends("shop-web", List.of(backend(shop)));
        Map<String, String> lies = Map.of("Forwarded", "for=6.6.6.6;host=bank.example;proto=https",
                "X-Forwarded-For", "6.6.6.6", "X-Forwarded-Host", "bank.example", "X-Forwarded-Proto", "https",
                "X-Forwarded-Port", "443");
        Answer a = get("shop.pier.localhost", "/", lies);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.headers().get("Echo-Forwarded")).isEqualTo("for=127.0.0.1;host=shop.pier.localhost;proto=http");
        assertThat(a.headers().get("Echo-X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(a.headers().get("Echo-X-Forwarded-Host")).isEqualTo("shop.pier.localhost");
        assertThat(a.headers().get("Echo-X-Forwarded-Proto")).isEqualTo("http");
        assertThat(a.headers().get("Echo-X-Forwarded-Port")).isEqualTo(Integer.toString(proxy.port()));

        // behind a trusted front proxy (here: every client on 127.0.0.0/8), its word is kept and the router's added
        ProxyServer trusting = new ProxyServer(props(Duration.ofSeconds(10), List.of("10.9.9.9", "127.0.0.0/8")), table,
                metrics);
        closing.add(trusting);
        HttpClient viaFront = HttpClient.create().baseUrl("http://127.0.0.1:" + trusting.port());
        Answer b = viaFront.headers(h -> {
            h.set("Host", "shop.pier.localhost");
            lies.forEach(h::set);
        }).get().uri("/").responseSingle((res, body) -> body.asString().defaultIfEmpty("")
                .map(text -> new Answer(res.status().code(), res.responseHeaders(), text))).block(Duration.ofSeconds(30));
        assertThat(b.headers().get("Echo-Forwarded"))
                .isEqualTo("for=6.6.6.6;host=bank.example;proto=https, for=127.0.0.1;host=shop.pier.localhost;proto=http");
        assertThat(b.headers().get("Echo-X-Forwarded-For")).isEqualTo("6.6.6.6, 127.0.0.1");
        assertThat(b.headers().get("Echo-X-Forwarded-Host")).isEqualTo("bank.example");
        assertThat(b.headers().get("Echo-X-Forwarded-Proto")).isEqualTo("https");
        assertThat(b.headers().get("Echo-X-Forwarded-Port")).isEqualTo("443");
    }

    @Test
    void roundRobinSpreadsRequests() throws IOException {
        Upstream one = upstream("one");
        Upstream two = upstream("two");
        table.replaceRoutes(Map.of("shop.pier.localhost", new RouteTarget("shop", "shop-web")));
        table.replaceBackends("shop-web", List.of(backend(one), backend(two)));
        for (int i = 0; i < 10; i++) {
            assertThat(get("shop.pier.localhost", "/", Map.of()).status()).isEqualTo(200);
        }
        assertThat(one.hits.get()).isEqualTo(5);
        assertThat(two.hits.get()).isEqualTo(5);
    }

    @Test
    void unknownHostIs404NamingTheHostAsHtmlOrJson() {
        Answer html = get("nope.pier.localhost", "/", Map.of("Accept", "text/html"));
        assertThat(html.status()).isEqualTo(404);
        assertThat(html.headers().get("Content-Type")).startsWith("text/html");
        assertThat(html.body()).contains("nope.pier.localhost");
        Answer json = get("<b>.pier.localhost", "/", Map.of("Accept", "application/json"));
        assertThat(json.status()).isEqualTo(404);
        assertThat(json.headers().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(json.body()).contains("\"status\":404").contains("<b>.pier.localhost");
    }

    @Test
    void appWithoutInstancesIs503WithRetryAfter() {
        table.replaceRoutes(Map.of("shop.pier.localhost", new RouteTarget("shop", "shop-web")));
        Answer a = get("shop.pier.localhost", "/", Map.of("Accept", "application/json"));
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.headers().get("Retry-After")).isEqualTo("5");
        assertThat(a.body()).contains("shop");
    }

    @Test
    void refusedInstanceIsSkippedAndEjected() throws IOException {
        Upstream live = upstream("live");
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        table.replaceRoutes(Map.of("shop.pier.localhost", new RouteTarget("shop", "shop-web")));
        table.replaceBackends("shop-web", List.of(new Backend("dead", "127.0.0.1", dead), backend(live)));
        for (int i = 0; i < 20; i++) {
            assertThat(get("shop.pier.localhost", "/", Map.of()).status()).isEqualTo(200);
        }
        assertThat(live.hits.get()).isEqualTo(20);
        assertThat(table.resolve("shop.pier.localhost").backends()).extracting(Backend::id).containsExactly("live");
        AppSeries series = metrics.of("shop", "shop-web");
        assertThat(series.connectErrors()).isPositive();
        assertThat(series.answers(2)).isEqualTo(20);
        assertThat(series.answers(5)).isZero();
    }

    @Test
    void noFailedGetWhileOneOfTwoInstancesIsStopped() throws IOException {
        Upstream one = upstream("one");
        Upstream two = upstream("two");
        table.replaceRoutes(Map.of("shop.pier.localhost", new RouteTarget("shop", "shop-web")));
        table.replaceBackends("shop-web", List.of(backend(one), backend(two)));
        List<Integer> failures = new ArrayList<>();
        Flux.range(0, 400).flatMap(i -> {
            if (i == 100) {
                one.close();
            }
            return http.headers(h -> h.set("Host", "shop.pier.localhost")).get().uri("/")
                    .responseSingle((res, body) -> body.asString().map(s -> res.status().code()));
        }, 8).doOnNext(code -> {
            if (code != 200) {
                failures.add(code);
            }
        }).blockLast(Duration.ofSeconds(60));
        assertThat(failures).isEmpty();
        assertThat(two.hits.get()).isGreaterThan(200);
    }

    /**
     * An instance that closes a kept-alive connection as the next request arrives, without answering it (Node.js
     * does at its 5 s keep-alive timeout): a GET goes again on a new connection and gets its answer, even with one
     * instance; a POST, which may have been acted on, is not sent twice. (This failed GETs under load in the e2e
     * suite before.)
     *
     * <p>The proxy runs one event loop here: idle connections to instances are kept per loop, and with two a
     * request the client sent on another connection could land on the other loop and find no idle connection to
     * reuse (this test once got a 200 for the POST that way, on a new connection, in CI).
     */
    @Test
    void aRequestOnAnIdleConnectionTheInstanceClosedIsSentAgainWhenItIsSafeTo() throws Exception {
        ProxyServer oneLoop = new ProxyServer(props(Duration.ofSeconds(10), List.of(), 1), table, metrics);
        closing.add(oneLoop);
        HttpClient client = http.baseUrl("http://127.0.0.1:" + oneLoop.port());
        AtomicInteger connections = new AtomicInteger();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        closing.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    java.net.Socket socket = server.accept();
                    int number = connections.incrementAndGet();
                    Thread answer = new Thread(() -> answerOnceThenHangUp(socket, number, seen));
                    answer.setDaemon(true);
                    answer.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        table.replaceRoutes(Map.of("shop.pier.localhost", new RouteTarget("shop", "shop-web")));
        table.replaceBackends("shop-web", List.of(new Backend("only", "127.0.0.1", server.getLocalPort())));

        Answer first = get(client, "shop.pier.localhost", "/one");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        Answer second = get(client, "shop.pier.localhost", "/two");
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("answered /two");
        assertThat(seen).as("the GET went on the kept-alive connection, which hung up, then again on a new one")
                .containsExactly("1 GET /one", "1 GET /two", "2 GET /two");

        Integer post = client.headers(h -> h.set("Host", "shop.pier.localhost")).post().uri("/three")
                .send(reactor.core.publisher.Mono.just(Unpooled.wrappedBuffer(new byte[] {'x'})))
                .responseSingle((res, body) -> reactor.core.publisher.Mono.just(res.status().code()))
                .block(Duration.ofSeconds(30));
        assertThat(post).as("a POST the instance may have read is not sent twice").isEqualTo(502);
        assertThat(seen).containsExactly("1 GET /one", "1 GET /two", "2 GET /two", "2 POST /three");
        assertThat(connections.get()).isEqualTo(2);
    }

    private static Answer get(HttpClient client, String host, String path) {
        return client.headers(h -> h.set("Host", host)).get().uri(path)
                .responseSingle((res, body) -> body.asString().defaultIfEmpty("")
                        .map(s -> new Answer(res.status().code(), res.responseHeaders(), s)))
                .block(Duration.ofSeconds(30));
    }

    /**
     * Answers the first request on the connection (keep-alive), then closes it when the next one arrives; every
     * request line read is noted in {@code seen} as "connection method path".
     */
    private static void answerOnceThenHangUp(java.net.Socket socket, int number, List<String> seen) {
        try (socket) {
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            String line = in.readLine();
            String[] parts = line == null ? new String[] {"?", "?"} : line.split(" ");
            seen.add(number + " " + parts[0] + " " + parts[1]);
            int length = 0;
            for (String header; (header = in.readLine()) != null && !header.isEmpty(); ) {
                if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring(15).strip());
                }
            }
            in.skip(length);
            byte[] body = ("answered " + parts[1]).getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            String next = in.readLine(); // the next request's first line: hang up without an answer
            if (next != null) {
                String[] again = next.split(" ");
                seen.add(number + " " + again[0] + " " + again[1]);
            }
        } catch (IOException e) {
            // the connection is gone: nothing to answer
        }
    }

    @Test
    void slowUpstreamIs504() throws IOException {
        Upstream slow = upstream("slow");
        table.replaceRoutes(Map.of("shop.pier.localhost", new RouteTarget("shop", "shop-web")));
        table.replaceBackends("shop-web", List.of(backend(slow)));
        ProxyServer impatient = new ProxyServer(props(Duration.ofMillis(800)), table, metrics);
        closing.add(impatient);
        Answer a = http.baseUrl("http://127.0.0.1:" + impatient.port()).headers(h -> {
            h.set("Host", "shop.pier.localhost");
            h.set("Accept", "application/json");
        }).get().uri("/slow").responseSingle((res, body) -> body.asString().defaultIfEmpty("")
                .map(s -> new Answer(res.status().code(), res.responseHeaders(), s))).block(Duration.ofSeconds(30));
        assertThat(a.status()).isEqualTo(504);
        assertThat(a.body()).contains("\"status\":504");
        assertThat(metrics.of("shop", "shop-web").answers(5)).isEqualTo(1);
        assertThat(metrics.prometheus())
                .contains("pier_router_request_duration_seconds_count{app=\"shop\",process_type=\"web\"} 1\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.of("shop", "shop-web").activeNow() == 0);
    }

    @Test
    void oversizedHeaderIs431AndOversizedRequestLineIsRefused() {
        Answer big = get("shop.pier.localhost", "/", Map.of("X-Big", "a".repeat(10_000)));
        assertThat(big.status()).isEqualTo(431);
        Answer longLine = get("shop.pier.localhost", "/" + "a".repeat(5000), Map.of());
        assertThat(longLine.status()).isIn(400, 414);
    }

    @Test
    void websocketEchoPassesThrough() {
        reactor.netty.DisposableServer echo = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.sendWebsocket((in, out) -> out.sendObject(in.receiveFrames()
                        .map(io.netty.handler.codec.http.websocketx.WebSocketFrame::retain))))
                .bindNow();
        closing.add(echo::disposeNow);
        table.replaceRoutes(Map.of("chat.pier.localhost", new RouteTarget("chat", "chat-web")));
        table.replaceBackends("chat-web", List.of(new Backend("echo", "127.0.0.1", echo.port())));
        List<String> got = HttpClient.create().headers(h -> h.set("Host", "chat.pier.localhost"))
                .websocket().uri("ws://127.0.0.1:" + proxy.port() + "/ws")
                .handle((in, out) -> out.sendString(Flux.just("one", "two", "three"))
                        .then().thenMany(in.receive().asString().take(3)))
                .collectList().block(Duration.ofSeconds(20));
        assertThat(got).containsExactly("one", "two", "three");
        AppSeries chat = metrics.of("chat", "chat-web");
        assertThat(chat.answers(1)).isEqualTo(1); // the 101
        assertThat(chat.requestBytes()).isPositive();
        assertThat(chat.responseBytes()).isPositive();
        // the tunnel counts as an active request until it closes
        await().atMost(Duration.ofSeconds(10)).until(() -> chat.activeNow() == 0);
    }

    @Test
    void hundredMegabytesStreamBothWays() throws IOException {
        Upstream up = upstream("big");
        table.replaceRoutes(Map.of("shop.pier.localhost", new RouteTarget("shop", "shop-web")));
        table.replaceBackends("shop-web", List.of(backend(up)));
        long size = 100L * 1024 * 1024;
        // surefire caps this JVM (router, upstream and client) below what a buffered body would need
        assertThat(Runtime.getRuntime().maxMemory()).isLessThan(size * 2);
        assertThat(io.netty.util.internal.PlatformDependent.maxDirectMemory()).isLessThan(size);
        int chunk = 64 * 1024;
        String uploaded = http.headers(h -> h.set("Host", "shop.pier.localhost")).post().uri("/upload")
                .send(Flux.range(0, (int) (size / chunk)).map(i -> (ByteBuf) Unpooled.wrappedBuffer(new byte[chunk])))
                .responseSingle((res, body) -> body.asString()).block(Duration.ofSeconds(120));
        assertThat(uploaded).isEqualTo(Long.toString(size));

        Long downloaded = http.headers(h -> h.set("Host", "shop.pier.localhost")).get().uri("/download?bytes=" + size)
                .responseContent().map(b -> (long) b.readableBytes()).reduce(0L, Long::sum)
                .block(Duration.ofSeconds(120));
        assertThat(downloaded).isEqualTo(size);
        assertThat(metrics.of("shop", "shop-web").requestBytes()).isEqualTo(size);
        assertThat(metrics.of("shop", "shop-web").responseBytes()).isGreaterThanOrEqualTo(size);
    }
}
