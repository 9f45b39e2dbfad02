package dev.pier.router.proxy;

import dev.pier.router.RouterProperties;
import dev.pier.router.metrics.RouterMetrics;
import dev.pier.router.table.Backend;
import dev.pier.router.table.RouteTarget;
import dev.pier.router.table.RoutingTable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * For {@code bench/router/run}: the router's proxy alone (no controller or discoverd), routing
 * {@code bench.pier.localhost} to one upstream. Args: proxy port, upstream port, [event loops, 0 = one per
 * processor], [{@code metrics-on} (the default) or {@code metrics-off}: the proxy counts no per-app series]. Runs
 * until killed.
 */
public final class ProxyBench {
    private ProxyBench() {
    }

    public static void main(String[] args) throws InterruptedException {
        dev.pier.router.NettyDefaults.applyTo(System.getProperties()); // the proxy as the router runs it
        int port = Integer.parseInt(args[0]);
        int upstream = Integer.parseInt(args[1]);
        int eventLoops = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        String switchArg = args.length > 3 ? args[3] : "metrics-on";
        if (!switchArg.equals("metrics-on") && !switchArg.equals("metrics-off")) {
            throw new IllegalArgumentException("the fourth argument is metrics-on or metrics-off, not " + switchArg);
        }
        boolean metrics = switchArg.equals("metrics-on");
        RoutingTable table = new RoutingTable(Duration.ofSeconds(5).toNanos(), System::nanoTime);
        table.replaceRoutes(Map.of("bench.pier.localhost", new RouteTarget("bench", "bench-web")));
        table.replaceBackends("bench-web", List.of(new Backend("u", "127.0.0.1", upstream)));
        RouterProperties props = new RouterProperties("127.0.0.1", port, 0, 0, "pier.localhost",
                URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:1"), "bench", Duration.ofSeconds(5),
                Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(75), Duration.ofSeconds(30),
                Duration.ofSeconds(5), 16384, 8192, 500, eventLoops);
        try (ProxyServer proxy = new ProxyServer(props, table,
                metrics ? new RouterMetrics() : RouterMetrics.disabled())) {
            System.out.println("event=bench-proxy-ready port=" + proxy.port() + " metrics=" + metrics);
            Thread.currentThread().join();
        }
    }
}
