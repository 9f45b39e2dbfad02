package dev.pier.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouterMetricsTest {

    @Test
    void durationBucketsAreCumulativeAsPrometheusWantsThem() {
        RouterMetrics m = new RouterMetrics();
        Counts shop = m.counts("shop", "shop-web");
        shop.duration(400_000L);        // 0.4 ms
        shop.duration(3_000_000L);      // 3 ms
        shop.duration(5_000_000L);      // 5 ms: on the bound, in it (le)
        shop.duration(3_000_000_000L);  // 3 s
        shop.duration(90_000_000_000L); // 90 s: only +Inf
        String text = m.prometheus();
        String l = "app=\"shop\",process_type=\"web\",le=\"";
        assertThat(text).contains("# TYPE pier_router_request_duration_seconds histogram")
                .contains("pier_router_request_duration_seconds_bucket{" + l + "5.0E-4\"} 1\n")
                .contains("pier_router_request_duration_seconds_bucket{" + l + "0.0025\"} 1\n")
                .contains("pier_router_request_duration_seconds_bucket{" + l + "0.005\"} 3\n")
                .contains("pier_router_request_duration_seconds_bucket{" + l + "2.5\"} 3\n")
                .contains("pier_router_request_duration_seconds_bucket{" + l + "5.0\"} 4\n")
                .contains("pier_router_request_duration_seconds_bucket{" + l + "60.0\"} 4\n")
                .contains("pier_router_request_duration_seconds_bucket{" + l + "+Inf\"} 5\n")
                .contains("pier_router_request_duration_seconds_count{app=\"shop\",process_type=\"web\"} 5\n")
                .contains("pier_router_request_duration_seconds_sum{app=\"shop\",process_type=\"web\"} 93.0084\n");
    }

    @Test
    void requestsAreCountedByAppProcessTypeAndStatusClass() {
        RouterMetrics m = new RouterMetrics();
        Counts web = m.counts("shop", "shop-web");
        web.answered(200);
        web.answered(204);
        web.answered(502);
        m.counts("shop", "shop-api").answered(101);
        m.unroutedCounts().answered(404);
        assertThat(m.counts("shop", "shop-web")).isSameAs(web);
        assertThat(m.prometheus())
                .contains("pier_router_requests_total{app=\"shop\",process_type=\"web\",status_class=\"2xx\"} 2.0\n")
                .contains("pier_router_requests_total{app=\"shop\",process_type=\"web\",status_class=\"5xx\"} 1.0\n")
                .contains("pier_router_requests_total{app=\"shop\",process_type=\"api\",status_class=\"1xx\"} 1.0\n")
                .contains("pier_router_requests_total{app=\"\",process_type=\"\",status_class=\"4xx\"} 1.0\n")
                .doesNotContain("status_class=\"3xx\"");
        assertThat(m.requests("shop")).isEqualTo(4);
    }

    @Test
    void connectErrorsActiveRequestsBytesAndConnections() {
        RouterMetrics m = new RouterMetrics();
        Counts web = m.counts("shop", "shop-web");
        web.connectError();
        web.began();
        web.began();
        web.ended();
        web.requestBytes(100);
        web.responseBytes(2048);
        m.connectionOpened();
        m.connectionOpened();
        m.connectionClosed();
        String labels = "{app=\"shop\",process_type=\"web\"} ";
        assertThat(m.prometheus()).contains("pier_router_upstream_connect_errors_total" + labels + "1.0\n")
                .contains("pier_router_active_requests" + labels + "1.0\n")
                .contains("pier_router_request_bytes_total" + labels + "100.0\n")
                .contains("pier_router_response_bytes_total" + labels + "2048.0\n")
                .contains("pier_router_client_connections 1.0\n");
    }

    @Test
    void disabledMetricsHandOutNoSeries() {
        RouterMetrics off = RouterMetrics.disabled();
        assertThat(off.of("shop", "shop-web")).isNull();
        assertThat(off.unrouted()).isNull();
        assertThat(off.counts("shop", "shop-web")).isNull();
        assertThat(off.unroutedCounts()).isNull();
        off.connectionOpened();
        assertThat(off.prometheus()).doesNotContain("app=").contains("pier_router_client_connections 0.0");
    }

    @Test
    void eachThreadCountsIntoItsOwnCountsAndTheSeriesSumsThem() throws Exception {
        RouterMetrics m = new RouterMetrics();
        Counts mine = m.counts("shop", "shop-web");
        mine.answered(200);
        mine.began();
        m.connectionOpened();
        Counts[] theirs = new Counts[1];
        Thread other = new Thread(() -> {
            theirs[0] = m.counts("shop", "shop-web");
            for (int i = 0; i < 1000; i++) {
                theirs[0].answered(200);
                theirs[0].duration(1_000_000L);
            }
            theirs[0].answered(503);
            theirs[0].began();
            theirs[0].ended();
            theirs[0].requestBytes(7);
            m.unroutedCounts().answered(404);
            m.connectionOpened();
            m.connectionOpened();
            m.connectionClosed();
        });
        other.start();
        other.join();
        assertThat(theirs[0]).isNotSameAs(mine);
        AppSeries web = m.of("shop", "shop-web");
        assertThat(web.answers(2)).isEqualTo(1001);
        assertThat(web.answers(5)).isEqualTo(1);
        assertThat(web.activeNow()).isEqualTo(1);
        assertThat(web.requestBytes()).isEqualTo(7);
        assertThat(m.unrouted().answers(4)).isEqualTo(1);
        assertThat(m.requests("shop")).isEqualTo(1002);
        assertThat(m.prometheus())
                .contains("pier_router_requests_total{app=\"shop\",process_type=\"web\",status_class=\"2xx\"} 1001.0\n")
                .contains("pier_router_request_duration_seconds_count{app=\"shop\",process_type=\"web\"} 1000\n")
                .contains("pier_router_active_requests{app=\"shop\",process_type=\"web\"} 1.0\n")
                .contains("pier_router_client_connections 2.0\n");
    }

    @Test
    void theProcessTypeIsTheServiceWithoutTheAppPrefix() {
        assertThat(RouterMetrics.processType("shop", "shop-web")).isEqualTo("web");
        assertThat(RouterMetrics.processType("shop", "shop-api-v2")).isEqualTo("api-v2");
        assertThat(RouterMetrics.processType("shop", "other")).isEqualTo("other");
    }
}
