package dev.pier.router.admin;

import dev.pier.router.metrics.RouterMetrics;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** The admin port: {@code GET /health} and {@code GET /metrics} (Prometheus text). */
public final class AdminServer implements AutoCloseable {
    private final DisposableServer server;

    public AdminServer(String bindAddress, int port, RouterMetrics metrics) {
        this.server = HttpServer.create().host(bindAddress).port(port)
                .route(routes -> routes
                        .get("/health", (req, res) -> res.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                .sendString(Mono.just("{\"status\":\"ok\"}")))
                        .get("/metrics", (req, res) -> res
                                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                                .sendString(Mono.fromSupplier(metrics::prometheus))))
                .bindNow();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
