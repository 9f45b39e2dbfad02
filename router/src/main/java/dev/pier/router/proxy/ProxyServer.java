package dev.pier.router.proxy;

import dev.pier.router.RouterProperties;
import dev.pier.router.metrics.RouterMetrics;
import dev.pier.router.table.Backend;
import dev.pier.router.table.Destination;
import dev.pier.router.table.RoutingTable;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP proxy: resolves each request's {@code Host} in the {@link RoutingTable} and streams it to an
 * instance over a pooled keep-alive connection, and the response back (no buffering). A failed connect ejects
 * the instance and tries the next one; for requests without a body that are safe to repeat, so does a
 * connection closed before any response or a response timeout (like nginx's {@code proxy_next_upstream error
 * timeout}).
 */
public final class ProxyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProxyServer.class.getName());
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    private final RoutingTable table;
    private final RouterMetrics metrics;
    private final HttpClient client;
    private final ConnectionProvider pool;
    private final DisposableServer server;
    private final WebsocketBridge websockets;

    public ProxyServer(RouterProperties props, RoutingTable table, RouterMetrics metrics) {
        this.table = table;
        this.metrics = metrics;
        this.pool = ConnectionProvider.builder("pier-router")
                .maxConnections(props.maxConnectionsPerInstance())
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(props.idleTimeout())
                .build();
        this.client = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) props.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .responseTimeout(props.responseTimeout())
                .keepAlive(true)
                .disableRetry(true);
        this.websockets = new WebsocketBridge(client);
        this.server = HttpServer.create().host(props.bindAddress()).port(props.port())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .httpRequestDecoder(spec -> spec.maxHeaderSize(props.maxHeaderSize())
                        .maxInitialLineLength(props.maxInitialLine())
                        .validateHeaders(true))
                .idleTimeout(props.idleTimeout())
                .readTimeout(props.readTimeout())
                .handle(this::handle)
                .bindNow();
        LOG.log(System.Logger.Level.INFO, "event=proxy-listening address=" + props.bindAddress() + " port="
                + server.port());
    }

    public int port() {
        return server.port();
    }

    private Mono<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        long startMillis = System.currentTimeMillis();
        Destination d = table.resolve(req.requestHeaders().get(HttpHeaderNames.HOST));
        if (!d.routed()) {
            metrics.request("", 404);
            return Answers.send(req, res, HttpResponseStatus.NOT_FOUND,
                    d.host() == null ? "The request has no Host header." : "No app is routed for host " + d.host() + ".");
        }
        if (d.backends().isEmpty()) {
            metrics.request(d.app(), 503);
            res.header(HttpHeaderNames.RETRY_AFTER, "5");
            return Answers.send(req, res, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "App " + d.app() + " has no instance up for host " + d.host() + ".");
        }
        InetSocketAddress remote = req.remoteAddress();
        InetSocketAddress local = req.hostAddress();
        HttpHeaders headers = ForwardedHeaders.upstream(req.requestHeaders(),
                remote == null ? "" : remote.getAddress().getHostAddress(), req.scheme(),
                local == null ? 0 : local.getPort(), startMillis);
        if (isWebsocketUpgrade(req.requestHeaders())) {
            return websockets.bridge(req, res, d, headers);
        }
        boolean hasBody = req.requestHeaders().contains(HttpHeaderNames.CONTENT_LENGTH)
                || req.requestHeaders().contains(HttpHeaderNames.TRANSFER_ENCODING);
        return attempt(req, res, d, headers, hasBody, 0);
    }

    private Mono<Void> attempt(HttpServerRequest req, HttpServerResponse res, Destination d, HttpHeaders headers,
            boolean hasBody, int index) {
        Backend backend = d.backends().get(index);
        AtomicBoolean sent = new AtomicBoolean();
        AtomicBoolean answered = new AtomicBoolean();
        long t0 = System.nanoTime();
        return client.headers(h -> h.set(headers))
                .request(req.method())
                .uri("http://" + backend.address() + req.uri())
                .send((creq, out) -> {
                    sent.set(true);
                    return hasBody ? out.send(req.receive().retain()) : out;
                })
                .response((cres, body) -> {
                    answered.set(true);
                    table.restore(backend);
                    metrics.upstreamLatency(d.app(), System.nanoTime() - t0);
                    metrics.request(d.app(), cres.status().code());
                    res.status(cres.status());
                    res.headers(ForwardedHeaders.copyEndToEnd(cres.responseHeaders()));
                    return res.send(body.retain());
                })
                .then()
                .onErrorResume(e -> {
                    boolean connectFailed = isConnectFailure(e);
                    if (connectFailed) {
                        table.eject(backend);
                    }
                    boolean retry = !answered.get() && index + 1 < d.backends().size()
                            && (connectFailed || (!hasBody && IDEMPOTENT.contains(req.method())
                                    && (e instanceof PrematureCloseException || isTimeout(e))));
                    LOG.log(System.Logger.Level.INFO, "event=upstream-failed app=" + d.app() + " instance="
                            + backend.address() + " sent=" + sent.get() + " retry=" + retry + " error=\""
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + "\"");
                    if (retry) {
                        return attempt(req, res, d, headers, hasBody, index + 1);
                    }
                    if (answered.get() || res.hasSentHeaders()) {
                        return Mono.error(e);
                    }
                    if (isTimeout(e)) {
                        metrics.request(d.app(), 504);
                        return Answers.send(req, res, HttpResponseStatus.GATEWAY_TIMEOUT,
                                "App " + d.app() + " did not answer in time.");
                    }
                    metrics.request(d.app(), 502);
                    return Answers.send(req, res, HttpResponseStatus.BAD_GATEWAY,
                            "App " + d.app() + " could not be reached.");
                });
    }

    static boolean isWebsocketUpgrade(HttpHeaders headers) {
        return headers.containsValue(HttpHeaderNames.UPGRADE, "websocket", true)
                && headers.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true);
    }

    static boolean isConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ReadTimeoutException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        server.disposeNow();
        pool.disposeLater().block();
    }
}
