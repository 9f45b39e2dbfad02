package dev.pier.router.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pier.api.Names;
import dev.pier.api.http.Json;
import dev.pier.router.metrics.RouterMetrics;
import dev.pier.router.table.RoutingTable;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
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
 * The admin port: {@code GET /health}, {@code GET /metrics} (Prometheus text) and, with the cluster key,
 * {@code GET /services/{service}}: the domains and instances this router routes to a service now, which the
 * deployment runner reads to know that a new release is served and an old one is not.
 */
public final class AdminServer implements AutoCloseable {
    private final DisposableServer server;

    public AdminServer(String bindAddress, int port, RouterMetrics metrics, RoutingTable table, Supplier<String> routerId,
                       String clusterKey) {
        byte[] expected = ("Bearer " + clusterKey).getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create().host(bindAddress).port(port)
                .route(routes -> routes
                        .get("/health", (req, res) -> res.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                .sendString(Mono.just("{\"status\":\"ok\"}")))
                        .get("/metrics", (req, res) -> res
                                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                                .sendString(Mono.fromSupplier(metrics::prometheus)))
                        .get("/services/{service}", (req, res) -> {
                            if (!authorized(req, expected)) {
                                return problem(res, HttpResponseStatus.UNAUTHORIZED,
                                        "a valid cluster key is required (Authorization: Bearer <key>)");
                            }
                            String service = req.param("service");
                            if (service == null || Names.problemWithService(service).isPresent()) {
                                return problem(res, HttpResponseStatus.BAD_REQUEST, "not a service name: " + service);
                            }
                            return json(res, table.routed(routerId.get(), service));
                        }))
                .bindNow();
    }

    private static boolean authorized(HttpServerRequest request, byte[] expected) {
        String header = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected);
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
