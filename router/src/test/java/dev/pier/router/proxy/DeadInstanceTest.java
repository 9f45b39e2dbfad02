package dev.pier.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.router.RouterProperties;
import dev.pier.router.metrics.RouterMetrics;
import dev.pier.router.table.Backend;
import dev.pier.router.table.RouteTarget;
import dev.pier.router.table.RoutingTable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

/**
 * Instances whose host goes silent (a machine that lost its power: nothing acknowledged, nothing answered) while
 * the router holds kept-alive connections to them ({@link UpstreamLiveness}); the host is another loopback address. The response timeout is a minute and the
 * client gives up after 20 s, so a request only succeeds if the router finds the connection dead by itself: with the
 * kernel's defaults it would wait out the response timeout. The connect timeout is long too, and no connect error may
 * be counted: the instance is found out on the connection the request went on, not by a new connect.
 */
class DeadInstanceTest {
    private static final String DOOMED_HOST = "127.0.0.2";
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final RoutingTable table = new RoutingTable(Duration.ofSeconds(30).toNanos(), System::nanoTime);
    private final RouterMetrics metrics = new RouterMetrics();
    private final Firewall firewall = new Firewall();
    private ProxyServer proxy;
    private HttpClient http;
    /** Two instances on a host of their own (127.0.0.2), which goes silent, and one elsewhere. */
    private Upstream doomed;
    private Upstream doomedToo;
    private Upstream live;

    @BeforeEach
    void start() throws Exception {
        // one event loop: the request after the warm-up finds the warm-up's kept-alive connection to the doomed one
        RouterProperties props = new RouterProperties("127.0.0.1", 0, 0, 0, "pier.localhost",
                URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:1"), "key", Duration.ofSeconds(5),
                Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 8192, 4096, 64, 1, List.of(), "", "", Duration.ofSeconds(1));
        proxy = new ProxyServer(props, table, metrics);
        closing.add(proxy);
        doomed = new Upstream("doomed", DOOMED_HOST);
        closing.add(doomed);
        doomedToo = new Upstream("doomed-too", DOOMED_HOST);
        closing.add(doomedToo);
        live = new Upstream("live");
        closing.add(live);
        table.replaceRoutes(Map.of("shop.pier.localhost", new RouteTarget("shop", "shop-web")));
        table.replaceBackends("shop-web", List.of(new Backend("doomed", DOOMED_HOST, doomed.port()),
                new Backend("doomed-too", DOOMED_HOST, doomedToo.port()),
                new Backend("live", "127.0.0.1", live.port())));
        http = HttpClient.create().baseUrl("http://127.0.0.1:" + proxy.port()).responseTimeout(Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() throws Exception {
        firewall.close();
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private String get(String path) {
        return http.headers(h -> h.set("Host", "shop.pier.localhost")).get().uri(path)
                .responseSingle((res, body) -> body.asString().defaultIfEmpty("")
                        .map(s -> res.status().code() + " " + s))
                .block(Duration.ofSeconds(25));
    }

    @Test
    void aRequestSentToAHostThatWentSilentIsAnsweredByAnotherInstance() throws Exception {
        // round robin from the first backend; each keeps its connection idle in the pool
        assertThat(get("/warm")).isEqualTo("200 doomed /warm");
        assertThat(get("/warm")).isEqualTo("200 doomed-too /warm");
        assertThat(get("/warm")).isEqualTo("200 live /warm");

        firewall.silence(DOOMED_HOST);
        // the next pick is the first again, over its kept-alive connection: the request is never acknowledged; found
        // out, its host is ejected, so the failover passes over the other instance there too
        assertThat(get("/a")).isEqualTo("200 live /a");
        assertThat(doomed.hits).hasValue(1);
        assertThat(doomedToo.hits).hasValue(1);

        // the requests after it do not wait on either again
        assertThat(table.resolve("shop.pier.localhost").backends()).extracting(Backend::id).containsExactly("live");
        for (int i = 0; i < 6; i++) {
            assertThat(get("/b" + i)).isEqualTo("200 live /b" + i);
        }
        assertThat(metrics.of("shop", "shop-web").connectErrors()).isZero();
        assertThat(metrics.of("shop", "shop-web").answers(5)).isZero();
    }

    @Test
    void aRequestTheHostAcknowledgedBeforeItWentSilentIsAnsweredByAnotherInstance() throws Exception {
        // the doomed instance reads the request (the kernel acknowledged it), then its host goes silent: only
        // keep-alive probes can tell it from an app that takes its time
        var answer = http.headers(h -> h.set("Host", "shop.pier.localhost")).get().uri("/slow")
                .responseSingle((res, body) -> body.asString().defaultIfEmpty("").map(s -> res.status().code()))
                .toFuture();
        await().atMost(Duration.ofSeconds(10)).until(() -> doomed.slowBegun.get() == 1);
        firewall.silence(DOOMED_HOST);

        assertThat(answer.get(25, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(live.slowBegun).hasValue(1);
        assertThat(doomedToo.slowBegun).as("on the host found silent").hasValue(0);
        assertThat(metrics.of("shop", "shop-web").connectErrors()).isZero();
    }
}
