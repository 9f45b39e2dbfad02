package dev.pier.router.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pier.api.Names;
import dev.pier.api.http.Json;
import dev.pier.router.table.RoutingTable;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyOutbound;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The admin port: {@code GET /health} (open); {@code GET /metrics} (Prometheus text: the JVM's and process'
 * figures and the proxy's own series), which needs {@code Authorization: Bearer <cluster key>} as every Pier
 * service's {@code /metrics} does, unless {@code pier.metrics.public=true}; and, with the cluster key,
 * {@code GET /services/{service}}: the domains and instances this router routes to a service now, which the
 * deployment runner reads to know that a new release is served and an old one is not.
 */
public final class AdminServer implements AutoCloseable {
    private final DisposableServer server;
    private final byte[] key;
    private final boolean metricsPublic;

    public AdminServer(String bindAddress, int port, PrometheusMeterRegistry registry, RoutingTable table,
                       Supplier<String> routerId, String clusterKey, boolean metricsPublic) {
        this.key = ("Bearer " + clusterKey).getBytes(StandardCharsets.UTF_8);
        this.metricsPublic = metricsPublic;
        this.server = HttpServer.create().host(bindAddress).port(port)
                .route(routes -> routes
                        .get("/health", (req, res) -> res.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                .sendString(Mono.just("{\"status\":\"ok\"}")))
                        .get("/metrics", (req, res) -> {
                            if (!metricsPublic && !authorized(req)) {
                                return unauthorized(res);
                            }
                            return res.header(HttpHeaderNames.CONTENT_TYPE, PrometheusTextFormatWriter.CONTENT_TYPE)
                                    .sendString(Mono.fromSupplier(registry::scrape));
                        })
                        .get("/services/{service}", (req, res) -> {
                            if (!authorized(req)) {
                                return unauthorized(res);
                            }
                            String service = req.param("service");
                            if (service == null || Names.problemWithService(service).isPresent()) {
                                return problem(res, HttpResponseStatus.BAD_REQUEST, "not a service name: " + service);
                            }
                            return json(res, table.routed(routerId.get(), service));
                        }))
                .bindNow();
    }

    /** The cluster key, exactly (no white space around it: the same rule as every other service). */
    private boolean authorized(HttpServerRequest request) {
        String given = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), key);
    }

    private static NettyOutbound unauthorized(HttpServerResponse response) {
        return problem(response.header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer"), HttpResponseStatus.UNAUTHORIZED,
                "this endpoint needs the cluster key: send 'Authorization: Bearer <key>'");
    }

    private static NettyOutbound json(HttpServerResponse response, Object body) {
        try {
            return response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .sendByteArray(Mono.just(Json.mapper().writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static NettyOutbound problem(HttpServerResponse response, HttpResponseStatus status, String detail) {
        String body = "{\"type\":\"about:blank\",\"title\":\"" + status.reasonPhrase() + "\",\"status\":" + status.code()
                + ",\"detail\":" + quoted(detail) + "}";
        return response.status(status).header(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .sendString(Mono.just(body));
    }

    private static String quoted(String text) {
        try {
            return Json.mapper().writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
