package dev.pier.router.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The admin port: {@code GET /health} (open) and {@code GET /metrics} (Prometheus text: the JVM's and process'
 * figures and the proxy's own series), which needs {@code Authorization: Bearer <cluster key>} as every Pier
 * service's {@code /metrics} does, unless {@code pier.metrics.public=true}.
 */
public final class AdminServer implements AutoCloseable {
    private final DisposableServer server;
    private final byte[] key;
    private final boolean metricsPublic;

    public AdminServer(String bindAddress, int port, PrometheusMeterRegistry registry, String clusterKey,
            boolean metricsPublic) {
        this.key = ("Bearer " + clusterKey).getBytes(StandardCharsets.UTF_8);
        this.metricsPublic = metricsPublic;
        this.server = HttpServer.create().host(bindAddress).port(port)
                .route(routes -> routes
                        .get("/health", (req, res) -> res.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                .sendString(Mono.just("{\"status\":\"ok\"}")))
                        .get("/metrics", (req, res) -> {
                            if (!allowed(req)) {
                                return res.status(HttpResponseStatus.UNAUTHORIZED)
                                        .header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer")
                                        .header(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                                        .sendString(Mono.just("{\"type\":\"about:blank\",\"title\":\"Unauthorized\","
                                                + "\"status\":401,\"detail\":\"this endpoint needs the cluster key: "
                                                + "send 'Authorization: Bearer <key>'\"}"));
                            }
                            return res.header(HttpHeaderNames.CONTENT_TYPE, PrometheusTextFormatWriter.CONTENT_TYPE)
                                    .sendString(Mono.fromSupplier(registry::scrape));
                        }))
                .bindNow();
    }

    private boolean allowed(HttpServerRequest req) {
        if (metricsPublic) {
            return true;
        }
        String given = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        return given != null && MessageDigest.isEqual(given.strip().getBytes(StandardCharsets.UTF_8), key);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
