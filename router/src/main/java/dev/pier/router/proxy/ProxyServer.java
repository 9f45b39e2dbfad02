package dev.pier.router.proxy;

import dev.pier.router.RouterProperties;
import dev.pier.router.metrics.RouterMetrics;
import dev.pier.router.table.Backend;
import dev.pier.router.table.Destination;
import dev.pier.router.table.RoutingTable;
import dev.pier.router.tls.Certificates;
import dev.pier.router.tls.SniSelector;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * The HTTP proxy: resolves each request's {@code Host} in the {@link RoutingTable} and streams it to an
 * instance over a pooled keep-alive connection, and the response back (no buffering). A failed connect ejects
 * the instance and tries the next one; for requests without a body that are safe to repeat, so does a
 * connection closed before any response or a response timeout (like nginx's {@code proxy_next_upstream error
 * timeout}).
 */
public final class ProxyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProxyServer.class.getName());
    /** Responses with a Content-Length up to this are relayed in one write (see {@link #sendWhole}). */
    static final int WHOLE_BODY_LIMIT = 16 * 1024;
    /** A TLS client must finish its handshake within this (or read-timeout, if shorter). */
    static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    private final RoutingTable table;
    private final RouterMetrics metrics;
    private final RouterProperties props;
    private final LoopResources loops;
    private final Upstreams upstreams;
    private final DisposableServer server;
    private final DisposableServer tlsServer;
    private final WebsocketBridge websockets;

    /** A proxy without TLS certificates (its TLS port refuses every handshake). */
    public ProxyServer(RouterProperties props, RoutingTable table, RouterMetrics metrics) {
        this(props, table, metrics, new Certificates());
    }

    public ProxyServer(RouterProperties props, RoutingTable table, RouterMetrics metrics, Certificates certificates) {
        this.table = table;
        this.metrics = metrics;
        this.props = props;
        int threads = props.eventLoopThreads();
        // Own event loops, colocated: a connection to an instance is opened on the loop of the client request
        // that needed it, and Upstreams keeps one pool per loop, so a request never hops between threads.
        this.loops = LoopResources.create("pier-router", threads, true);
        this.upstreams = new Upstreams(props, loops, threads);
        this.websockets = new WebsocketBridge(upstreams::client);
        this.server = listener(props.port()).handle((req, res) -> handle(req, res, "http")).bindNow();
        Duration handshakeTimeout = props.readTimeout().compareTo(TLS_HANDSHAKE_TIMEOUT) < 0
                ? props.readTimeout() : TLS_HANDSHAKE_TIMEOUT;
        this.tlsServer = listener(props.tlsPort())
                .doOnChannelInit((observer, channel, remote) -> channel.pipeline()
                        .addFirst("pier-sni", new SniSelector(certificates, handshakeTimeout)))
                .handle((req, res) -> handle(req, res, "https"))
                .bindNow();
        LOG.log(System.Logger.Level.INFO, "event=proxy-listening address=" + props.bindAddress() + " port="
                + server.port() + " tls-port=" + tlsServer.port() + " event-loops=" + threads);
    }

    private HttpServer listener(int port) {
        return HttpServer.create().host(props.bindAddress()).port(port)
                .runOn(loops)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .httpRequestDecoder(spec -> spec.maxHeaderSize(props.maxHeaderSize())
                        .maxInitialLineLength(props.maxInitialLine())
                        .validateHeaders(true))
                .idleTimeout(props.idleTimeout())
                .readTimeout(props.readTimeout());
    }

    public int port() {
        return server.port();
    }

    public int tlsPort() {
        return tlsServer.port();
    }

    private Mono<Void> handle(HttpServerRequest req, HttpServerResponse res, String proto) {
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
                remote == null ? "" : remote.getAddress().getHostAddress(), proto,
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
        return upstreams.client()
                .request(req.method())
                .uri("http://" + backend.address() + req.uri())
                .send((creq, out) -> {
                    sent.set(true);
                    // exactly the client's end-to-end headers and ours: Reactor Netty's defaults (its own Host
                    // from the URI, Accept, User-Agent) are replaced, not added to
                    HttpHeaders upstreamHeaders = creq.requestHeaders().set(headers);
                    if (hasBody && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                        upstreamHeaders.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                    }
                    return hasBody ? out.send(req.receive().retain()) : out;
                })
                .response((cres, body) -> {
                    answered.set(true);
                    table.restore(backend);
                    metrics.upstreamLatency(d.app(), System.nanoTime() - t0);
                    metrics.request(d.app(), cres.status().code());
                    res.status(cres.status());
                    res.headers(ForwardedHeaders.copyEndToEnd(cres.responseHeaders()));
                    if (sendWhole(req.method(), cres.status().code(), cres.responseHeaders())) {
                        // small and of known length: headers and body leave in one write, as nginx's buffering does
                        return res.send(body.aggregate().retain());
                    }
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

    /**
     * Whether a response is small enough, and of a declared length, to be relayed whole (one write of headers and
     * body) rather than streamed chunk by chunk. Larger or open-ended bodies are always streamed.
     */
    static boolean sendWhole(HttpMethod method, int status, HttpHeaders headers) {
        if (HttpMethod.HEAD.equals(method) || status < 200 || status == 204 || status == 304) {
            return false;
        }
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null || length.isEmpty() || length.length() > 6
                || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return false;
        }
        long n = 0;
        for (int i = 0; i < length.length(); i++) {
            char c = length.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            n = n * 10 + (c - '0');
        }
        return n > 0 && n <= WHOLE_BODY_LIMIT;
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
        tlsServer.disposeNow();
        upstreams.close();
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    }
}
