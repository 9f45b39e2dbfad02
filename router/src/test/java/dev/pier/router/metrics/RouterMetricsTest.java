package dev.pier.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouterMetricsTest {

    @Test
    void latencyBucketsAreCumulativeAsPrometheusWantsThem() {
        RouterMetrics m = new RouterMetrics();
        m.upstreamLatency("shop", 500_000L);        // 0.5 ms
        m.upstreamLatency("shop", 3_000_000L);      // 3 ms
        m.upstreamLatency("shop", 3_000_000_000L);  // 3 s
        m.upstreamLatency("shop", 60_000_000_000L); // 60 s: only +Inf
        String text = m.prometheus();
        assertThat(text).contains("pier_router_upstream_latency_seconds_bucket{app=\"shop\",le=\"0.001\"} 1\n")
                .contains("pier_router_upstream_latency_seconds_bucket{app=\"shop\",le=\"0.005\"} 2\n")
                .contains("pier_router_upstream_latency_seconds_bucket{app=\"shop\",le=\"1.0\"} 2\n")
                .contains("pier_router_upstream_latency_seconds_bucket{app=\"shop\",le=\"5.0\"} 3\n")
                .contains("pier_router_upstream_latency_seconds_bucket{app=\"shop\",le=\"30.0\"} 3\n")
                .contains("pier_router_upstream_latency_seconds_bucket{app=\"shop\",le=\"+Inf\"} 4\n")
                .contains("pier_router_upstream_latency_seconds_count{app=\"shop\"} 4\n");
    }

    @Test
    void requestsAreCountedByStatusClass() {
        RouterMetrics m = new RouterMetrics();
        m.request("shop", 200);
        m.request("shop", 204);
        m.request("", 404);
        m.request("shop", 502);
        assertThat(m.prometheus()).contains("pier_router_requests_total{app=\"shop\",status=\"2xx\"} 2\n")
                .contains("pier_router_requests_total{app=\"\",status=\"4xx\"} 1\n")
                .contains("pier_router_requests_total{app=\"shop\",status=\"5xx\"} 1\n");
    }
}
