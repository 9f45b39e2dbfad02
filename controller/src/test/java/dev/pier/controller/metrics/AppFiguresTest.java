package dev.pier.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.metrics.ProcessFigures;
import dev.pier.api.metrics.PrometheusText;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AppFiguresTest {

    private static String router(int ok, int errors, int fast, int slow) {
        int total = ok + errors;
        return """
                pier_router_requests_total{app="shop",process_type="web",status_class="2xx"} %d.0
                pier_router_requests_total{app="shop",process_type="web",status_class="5xx"} %d.0
                pier_router_requests_total{app="",process_type="",status_class="4xx"} 99.0
                pier_router_request_duration_seconds_bucket{app="shop",process_type="web",le="0.01"} %d
                pier_router_request_duration_seconds_bucket{app="shop",process_type="web",le="0.1"} %d
                pier_router_request_duration_seconds_bucket{app="shop",process_type="web",le="+Inf"} %d
                """.formatted(ok, errors, fast, fast + slow, total);
    }

    private static String agent(double cpuA, double cpuB, long memA, long memB) {
        return """
                pier_job_cpu_seconds_total{app="shop",job="shop-web-a",process_type="web"} %s
                pier_job_memory_bytes{app="shop",job="shop-web-a",process_type="web"} %d
                pier_job_cpu_seconds_total{app="shop",job="shop-worker-b",process_type="worker"} %s
                pier_job_memory_bytes{app="shop",job="shop-worker-b",process_type="worker"} %d
                """.formatted(cpuA, memA, cpuB, memB);
    }

    private static Reading reading(String text) {
        return Reading.of(PrometheusText.parse(text));
    }

    @Test
    void ratesQuantilesMemoryAndCpuOverAnInterval() {
        Map<String, Reading> before = Map.of("router", reading(router(100, 0, 100, 0)),
                "agent", reading(agent(1.0, 5.0, 50_000_000, 20_000_000)));
        // 10 s later: 200 more answers (20 of them 5xx), 100 under 10 ms, 100 between 10 and 100 ms
        Map<String, Reading> now = Map.of("router", reading(router(280, 20, 200, 100)),
                "agent", reading(agent(3.0, 5.5, 60_000_000, 30_000_000)));
        Map<String, Map<String, ProcessFigures>> figures = AppFigures.between(before, now, 10);

        ProcessFigures web = figures.get("shop").get("web");
        assertThat(web.requestsPerSecond()).isEqualTo(20.0);
        assertThat(web.errorsPerSecond()).isEqualTo(2.0);
        assertThat(web.p50Seconds()).isCloseTo(0.01, within(1e-9)); // the 100th of 200: the top of the first bucket
        assertThat(web.p95Seconds()).isCloseTo(0.01 + 0.09 * 90 / 100, within(1e-9));
        assertThat(web.memoryBytes()).isEqualTo(60_000_000L);
        assertThat(web.cpuCores()).isCloseTo(0.2, within(1e-9));
        assertThat(web.jobs()).isEqualTo(1);

        ProcessFigures worker = figures.get("shop").get("worker");
        assertThat(worker.requestsPerSecond()).as("no router sends requests to a worker").isNull();
        assertThat(worker.p99Seconds()).isNull();
        assertThat(worker.memoryBytes()).isEqualTo(30_000_000L);
        assertThat(worker.cpuCores()).isCloseTo(0.05, within(1e-9));
        assertThat(figures).doesNotContainKey("");
    }

    @Test
    void aResetCounterCountsFromZeroAndAFirstReadingHasNoRates() {
        Map<String, Reading> before = Map.of("router", reading(router(1000, 10, 1000, 10)));
        Map<String, Reading> now = Map.of("router", reading(router(40, 0, 40, 0)), // restarted
                "router2", reading(router(5, 0, 5, 0)));                          // new: no delta yet
        ProcessFigures web = AppFigures.between(before, now, 2).get("shop").get("web");
        assertThat(web.requestsPerSecond()).isEqualTo(20.0);
        assertThat(web.errorsPerSecond()).isZero();
        assertThat(web.memoryBytes()).isNull();
        assertThat(web.cpuCores()).isNull();
    }

    @Test
    void noRequestsMeansARateOfZeroAndNoLatency() {
        Map<String, Reading> before = Map.of("router", reading(router(10, 0, 10, 0)));
        ProcessFigures web = AppFigures.between(before, before, 10).get("shop").get("web");
        assertThat(web.requestsPerSecond()).isZero();
        assertThat(web.p50Seconds()).isNull();
    }

    @Test
    void quantilesInterpolateWithinABucketAndStopAtTheLastFiniteBound() {
        TreeMap<Double, Double> h = new TreeMap<>(Map.of(0.1, 50.0, 1.0, 100.0, Double.POSITIVE_INFINITY, 200.0));
        assertThat(AppFigures.quantile(0.25, h)).isCloseTo(0.1, within(1e-9));
        assertThat(AppFigures.quantile(0.375, h)).isCloseTo(0.55, within(1e-9));
        assertThat(AppFigures.quantile(0.99, h)).isEqualTo(1.0);
        assertThat(AppFigures.quantile(0.5, new TreeMap<>(Map.of(Double.POSITIVE_INFINITY, 0.0)))).isNull();
    }
}
