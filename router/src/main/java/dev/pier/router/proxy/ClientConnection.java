package dev.pier.router.proxy;

import dev.pier.router.metrics.Counts;
import dev.pier.router.metrics.RouterMetrics;
import dev.pier.router.table.Backend;
import dev.pier.router.table.Destination;
import dev.pier.router.table.RoutingTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client connection: reads its requests one at a time, sends each to an instance over a pooled keep-alive
 * connection of the same event loop ({@link UpstreamPool}), and relays the response as it comes (bodies are never
 * buffered beyond what one read brings; back-pressure both ways by pausing reads while the other side cannot take
 * more). Writes are flushed once per read batch, so a small response leaves in one write.
 *
 * <p>Failover: a connect failure ejects the instance and tries the next one (nothing was sent). For requests
 * without a body and an idempotent method, a connection closed before any response or a response timeout also
 * moves on (like nginx's {@code proxy_next_upstream error timeout}). A kept-alive connection taken from the idle
 * ones that closes before any response was most likely closed by the instance's own keep-alive timeout as the
 * request went out: such a request (idempotent, without a body) is sent again to the same instance, on a new
 * connection if need be, at most {@link #STALE_RETRIES} times; unless the kernel closed it because the instance's host
 * stopped acknowledging ({@link UpstreamLiveness}): then every instance of that host is ejected, as after a connect
 * that got no answer, and the request moves on. Failing over passes over instances ejected or gone from the table
 * since the request's list of them was taken. A WebSocket upgrade is sent on as HTTP; when
 * the instance answers 101, both connections become a byte tunnel.
 *
 * <p>Everything here runs on the connection's event loop: no locks.
 */
final class ClientConnection extends ChannelDuplexHandler {
    private static final System.Logger LOG = System.getLogger(ClientConnection.class.getName());
    /** How often a request is sent again after kept-alive connections closed under it before any response. */
    static final int STALE_RETRIES = 3;

    /** What every connection of a listener shares. */
    record Shared(RoutingTable table, RouterMetrics metrics, String proto, long responseTimeoutNanos,
            long readTimeoutNanos, long idleTimeoutNanos, java.util.function.Function<Channel, UpstreamPool> pools,
            TrustedProxies trustedProxies) {
    }

    private final Shared shared;
    private ChannelHandlerContext ctx;
    private UpstreamPool pool;
    private String clientIp = "";
    /** The client is a trusted front proxy: its forwarding headers are kept ({@link ForwardedHeaders}). */
    private boolean trustedProxy;
    private String localPort = "0";

    private Exchange ex;
    private ArrayDeque<Object> queued;
    /** The rest of a request the router answered itself is read and dropped (keeps the connection usable). */
    private boolean discarding;
    /** Bytes of a request head have been read, no complete head yet (read-timeout applies). */
    private boolean partial;
    /** When the first byte of the head being read came: the whole head must come within read-timeout. */
    private long headStartNanos;
    private long lastReadNanos;
    private ScheduledFuture<?> timer;
    private boolean inRead;
    private boolean upstreamDirty;
    /** After a 101 from the instance: bytes go both ways untouched. */
    private UpstreamConnection tunnel;
    /** The tunnel's app series (null when metrics are off): it counts as active until the tunnel closes. */
    private Counts tunnelSeries;
    /** This event loop's counts of the service this connection's last request went to: most keep to one app. */
    private String seriesService;
    private Counts seriesOfService;

    ClientConnection(Shared shared) {
        this.shared = shared;
    }

    /** Notes every read of raw bytes (it sits before the HTTP codec): the clock of read- and idle-timeouts. */
    final class ReadClock extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
            lastReadNanos = System.nanoTime();
            if (ex == null && !discarding && !partial) {
                partial = true;
                headStartNanos = lastReadNanos;
            }
            c.fireChannelRead(msg);
        }
    }

    // ---- client side ----

    @Override
    public void handlerAdded(ChannelHandlerContext c) {
        this.ctx = c;
    }

    @Override
    public void channelActive(ChannelHandlerContext c) {
        Channel ch = c.channel();
        pool = shared.pools().apply(ch);
        if (ch.remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
            clientIp = remote.getAddress().getHostAddress();
            trustedProxy = shared.trustedProxies().contains(remote.getAddress());
        }
        if (ch.localAddress() instanceof InetSocketAddress local) {
            localPort = Integer.toString(local.getPort());
        }
        lastReadNanos = System.nanoTime();
        shared.metrics().connectionOpened();
        timer = ch.eventLoop().schedule(this::checkClient,
                Math.min(shared.idleTimeoutNanos(), shared.readTimeoutNanos() / 2), TimeUnit.NANOSECONDS);
        c.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        inRead = true;
        if (tunnel != null) {
            if (tunnelSeries != null && msg instanceof ByteBuf bytes) {
                tunnelSeries.requestBytes(bytes.readableBytes());
            }
            tunnel.channel().write(msg);
            upstreamDirty = true;
            return;
        }
        onClientMessage(msg, false);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext c) {
        inRead = false;
        flushUpstream();
        c.fireChannelReadComplete();
    }

    private void flushUpstream() {
        if (upstreamDirty) {
            upstreamDirty = false;
            UpstreamConnection up = tunnel != null ? tunnel : ex != null ? ex.up : null;
            if (up != null) {
                up.channel().flush();
                if (!up.channel().isWritable()) {
                    ctx.channel().config().setAutoRead(false);
                }
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext c) {
        UpstreamConnection up = tunnel != null ? tunnel : ex != null ? ex.up : null;
        if (up != null) {
            // the client cannot take more: stop reading the instance until it can
            up.channel().config().setAutoRead(c.channel().isWritable());
        }
        c.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "event=client-error remote=" + clientIp + " error=\"" + cause + "\"");
        c.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        if (timer != null) {
            timer.cancel(false);
        }
        shared.metrics().connectionClosed();
        if (tunnel != null) {
            tunnel.detach();
            tunnel.channel().close();
            if (tunnelSeries != null) {
                tunnelSeries.ended();
                tunnelSeries = null;
            }
        }
        if (ex != null) {
            ex.abandon();
        }
        if (queued != null) {
            queued.forEach(ReferenceCountUtil::release);
            queued.clear();
        }
        c.fireChannelInactive();
    }

    private void onClientMessage(Object msg, boolean fromQueue) {
        boolean content = msg instanceof HttpContent && !(msg instanceof HttpRequest);
        if (content && ((HttpContent) msg).decoderResult().isFailure()) {
            // a body that breaks HTTP framing (bad chunk): neither side can be trusted to be in step any more
            LOG.log(System.Logger.Level.DEBUG, "event=client-bad-body remote=" + clientIp + " error=\""
                    + ((HttpContent) msg).decoderResult().cause() + "\"");
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (discarding && content) {
            ReferenceCountUtil.release(msg);
            if (msg instanceof LastHttpContent) {
                discarding = false;
                drainQueue();
            }
            return;
        }
        if (ex != null && content && !ex.requestComplete) {
            ex.clientContent((HttpContent) msg);
            return;
        }
        if (ex != null || discarding || (!fromQueue && queued != null && !queued.isEmpty())) {
            // a pipelined request: it waits for the exchange in progress (and reading pauses meanwhile)
            if (queued == null) {
                queued = new ArrayDeque<>();
            }
            queued.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        if (msg instanceof HttpRequest req) {
            partial = false;
            start(req);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Hands on queued (pipelined) messages as far as the exchange state allows. */
    private void drainQueue() {
        while (queued != null && !queued.isEmpty() && ctx.channel().isActive()) {
            Object next = queued.peek();
            boolean content = next instanceof HttpContent && !(next instanceof HttpRequest);
            boolean deliverable = content ? discarding || (ex != null && !ex.requestComplete) : ex == null && !discarding;
            if (!deliverable) {
                break;
            }
            onClientMessage(queued.poll(), true);
        }
        boolean wantsInput = ex == null || discarding
                || (!ex.requestComplete && ex.up != null && ex.up.channel().isWritable());
        if (wantsInput && (queued == null || queued.isEmpty()) && ctx.channel().isActive()
                && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true); // ready for the next request, or for the rest of this one
        }
    }

    private void start(HttpRequest req) {
        long startMillis = System.currentTimeMillis();
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            ReferenceCountUtil.release(req);
            answered(shared.metrics().unroutedCounts(), status.code());
            answer(null, status, "The request could not be read.", true);
            return;
        }
        RequestHead.Refusal refusal = RequestHead.check(req);
        if (refusal != null) {
            answered(shared.metrics().unroutedCounts(), refusal.status().code());
            answer(req, refusal.status(), refusal.detail(), refusal.close());
            return;
        }
        HttpHeaders headers = req.headers();
        Destination d = shared.table().resolve(headers.get(HttpHeaderNames.HOST));
        if (!d.routed()) {
            answered(shared.metrics().unroutedCounts(), 404);
            answer(req, HttpResponseStatus.NOT_FOUND, d.host() == null ? "The request has no Host header."
                    : "No app is routed for host " + d.host() + ".", false);
            return;
        }
        Counts series = series(d);
        if (d.backends().isEmpty()) {
            answered(series, 503);
            answer(req, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "App " + d.app() + " has no instance up for host " + d.host() + ".", false);
            return;
        }
        boolean websocket = isWebsocketUpgrade(headers);
        boolean hasBody = HttpUtil.isTransferEncodingChunked(req) || contentLength(headers) > 0;
        boolean clientKeepAlive = HttpUtil.isKeepAlive(req);
        ForwardedHeaders.toUpstream(headers, clientIp, shared.proto(), localPort, startMillis, websocket, trustedProxy);
        if (hasBody && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        ex = new Exchange(req, d, hasBody, websocket, clientKeepAlive, series);
        ex.tryBackend(0);
    }

    /** This event loop's metrics counts of a routed destination (null when metrics are off). */
    private Counts series(Destination d) {
        String service = d.service();
        if (service != seriesService) { // identity: the table hands out the same string for a service
            seriesOfService = shared.metrics().counts(d.app(), service);
            seriesService = service;
        }
        return seriesOfService;
    }

    private static void answered(Counts series, int status) {
        if (series != null) {
            series.answered(status);
        }
    }

    private static long contentLength(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 1; // the decoder refuses nonsense lengths; be safe and treat it as a body
        }
    }

    static boolean isWebsocketUpgrade(HttpHeaders headers) {
        return headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /**
     * The router's own answer to the current request ({@code req} null when it could not be read: then the
     * connection closes). The rest of the request, if any, is dropped as it arrives.
     */
    private void answer(HttpRequest req, HttpResponseStatus status, String detail, boolean close) {
        FullHttpResponse res = Answers.of(req == null ? null : req.headers(), status, detail);
        if (status == HttpResponseStatus.SERVICE_UNAVAILABLE) {
            res.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
        }
        boolean keepAlive = !close && req != null && HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        ChannelFuture f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
        discarding = req != null; // its LastHttpContent (maybe empty) is still to come
    }

    /** Read- and idle-timeout, checked by one timer that moves itself on (no timer per request). */
    private void checkClient() {
        timer = null;
        Channel ch = ctx.channel();
        if (!ch.isActive() || tunnel != null) {
            return;
        }
        long limit;
        if (ex != null && (ex.requestComplete || !ch.config().isAutoRead())) {
            limit = 0; // waiting on the instance (its response timeout applies), or paused by back-pressure
        } else if (ex != null || partial || discarding) {
            limit = shared.readTimeoutNanos();
        } else {
            limit = shared.idleTimeoutNanos();
        }
        // Silence is timed from the last read, except while a request head is being read: then from its first byte,
        // so a client that trickles the head a byte at a time (slow-loris) gets read-timeout for all of it too.
        boolean readingHead = ex == null && partial && !discarding;
        long since = readingHead ? headStartNanos : lastReadNanos;
        long now = System.nanoTime();
        if (limit > 0 && now - since >= limit) {
            LOG.log(System.Logger.Level.DEBUG, "event=client-timeout remote=" + clientIp + " idle="
                    + (ex == null && !partial) + " head=" + readingHead);
            ch.close();
            return;
        }
        long next = limit > 0 ? since + limit - now : shared.idleTimeoutNanos();
        // never sleep longer than half a read-timeout: a new request may start meanwhile, and its head must come
        // within read-timeout (so a stalled one is cut after 1 to 1.5 read-timeouts, with no timer per request)
        next = Math.min(next, shared.readTimeoutNanos() / 2);
        timer = ch.eventLoop().schedule(this::checkClient, Math.max(next, TimeUnit.MILLISECONDS.toNanos(10)),
                TimeUnit.NANOSECONDS);
    }

    static boolean isConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static final java.util.Set<HttpMethod> IDEMPOTENT = java.util.Set.of(HttpMethod.GET, HttpMethod.HEAD,
            HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    private static boolean idempotent(HttpMethod m) {
        return IDEMPOTENT.contains(m);
    }

    /** One request and its response. */
    private final class Exchange implements UpstreamPool.Acquirer, UpstreamConnection.Listener {
        final HttpRequest request;
        final Destination d;
        final boolean hasBody;
        final boolean websocket;
        final boolean clientKeepAlive;
        final boolean head;
        /** Body parts read before the upstream connection was ready (made when first needed). */
        ArrayDeque<HttpContent> pending;
        int index;
        Backend backend;
        UpstreamConnection up;
        boolean requestComplete;
        boolean responseStarted;
        /**
         * The response's head, read and made ready for the client but not yet written: when the rest of the response
         * comes in the same read (most small ones do), head and body go to the client as one message, encoded into
         * one buffer; otherwise the head is written before the first part of the body, or at the end of the read.
         */
        HttpResponse heldHead;
        boolean interim;
        boolean upstreamReusable = true;
        boolean closeClient;
        boolean done;
        int staleRetries;
        /** Metrics (null when off), and when the request's head was read. */
        final Counts series;
        final long begun;
        private boolean ended;

        Exchange(HttpRequest request, Destination d, boolean hasBody, boolean websocket, boolean clientKeepAlive,
                Counts series) {
            this.series = series;
            this.begun = System.nanoTime();
            if (series != null) {
                series.began();
            }
            this.request = request;
            this.d = d;
            this.hasBody = hasBody;
            this.websocket = websocket;
            this.clientKeepAlive = clientKeepAlive;
            this.head = HttpMethod.HEAD.equals(request.method());
        }

        /** The answer's status and how long its head took (once per exchange). */
        private void measure(int status) {
            if (series != null) {
                series.duration(System.nanoTime() - begun);
                series.answered(status);
            }
        }

        /** The exchange is over: no longer active (once). */
        private void finish() {
            if (series != null && !ended) {
                ended = true;
                series.ended();
            }
        }

        boolean retryable() {
            return resendable() && next() >= 0;
        }

        /**
         * The backend to fail over to: the next of the request's list that is neither ejected nor gone from the
         * table since the list was taken (a dead machine's instances are passed over once one of them is found
         * out), else simply the next; -1 when none is left.
         */
        int next() {
            List<Backend> list = d.backends();
            for (int i = index + 1; i < list.size(); i++) {
                if (!shared.table().passOver(d.service(), list.get(i))) {
                    return i;
                }
            }
            return index + 1 < list.size() ? index + 1 : -1;
        }

        boolean resendable() {
            return !hasBody && !websocket && idempotent(request.method());
        }

        void tryBackend(int i) {
            index = i;
            backend = d.backends().get(i);
            pool.acquire(backend, this);
        }

        // ---- UpstreamPool.Acquirer ----

        @Override
        public void acquired(UpstreamConnection c) {
            if (done) {
                pool.release(backend, c, true); // the client went away meanwhile: the connection is untouched
                return;
            }
            up = c;
            c.attach(this);
            Channel ch = c.channel();
            String uri = request.uri();
            if (!uri.startsWith("/") && !uri.equals("*")) {
                uri = originForm(uri);
            }
            if (!hasBody) {
                // the whole request is its head: one message, encoded into one buffer (the decoder's empty end of it
                // is dropped when it comes, see clientContent)
                ch.write(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), uri, Unpooled.EMPTY_BUFFER,
                        request.headers(), EmptyHttpHeaders.INSTANCE), ch.voidPromise());
                releasePending();
            } else {
                pool.liveness().sendingBody(ch);
                ch.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), uri, request.headers()),
                        ch.voidPromise());
                if (pending != null) {
                    for (HttpContent content; (content = pending.poll()) != null; ) {
                        ch.write(content, ch.voidPromise());
                    }
                }
            }
            if (requestComplete) {
                ch.flush();
                c.awaitResponse(shared.responseTimeoutNanos());
            } else if (inRead) {
                upstreamDirty = true; // flushed at the end of this read batch, with what else it brings
            } else {
                ch.flush();
                if (!ctx.channel().config().isAutoRead() && (queued == null || queued.isEmpty())) {
                    ctx.channel().config().setAutoRead(true); // the body can flow now
                }
            }
        }

        @Override
        public void failed(Throwable cause) {
            if (done) {
                return;
            }
            boolean connectFailed = isConnectFailure(cause);
            if (connectFailed) {
                if (UpstreamLiveness.hostGone(cause)) {
                    shared.table().ejectHost(backend); // no answer at all: its host's other instances neither
                } else {
                    shared.table().eject(backend);
                }
                if (series != null) {
                    series.connectError();
                }
            }
            int next = connectFailed ? next() : -1;
            boolean retry = next >= 0;
            logFailure(cause, false, retry);
            if (retry) {
                tryBackend(next);
            } else {
                fail(cause instanceof TimeoutException);
            }
        }

        // ---- from the client ----

        void clientContent(HttpContent content) {
            if (series != null) {
                series.requestBytes(content.content().readableBytes());
            }
            boolean last = content instanceof LastHttpContent;
            if (last) {
                requestComplete = true;
            }
            if (up == null) {
                if (pending == null) {
                    pending = new ArrayDeque<>(4);
                }
                pending.add(content);
                if (!last && pending.size() > 16) {
                    ctx.channel().config().setAutoRead(false); // still connecting: do not read ahead further
                }
                return;
            }
            Channel ch = up.channel();
            if (!hasBody) {
                // sent whole with its head: what is left is the decoder's empty end of it
                content.release();
            } else {
                ch.write(content, ch.voidPromise());
            }
            if (last) {
                upstreamDirty = false;
                ch.flush();
                up.awaitResponse(shared.responseTimeoutNanos());
            } else {
                upstreamDirty = true;
            }
        }

        /** The client connection closed. */
        void abandon() {
            done = true;
            finish();
            releasePending();
            if (up != null) {
                up.detach();
                up.channel().close(); // in the middle of an exchange: not reusable
                up = null;
            }
            ex = null;
        }

        // ---- UpstreamConnection.Listener ----

        @Override
        public void upstreamRead(Object msg) {
            if (msg instanceof HttpResponse res) {
                int code = res.status().code();
                if (code == 101 && websocket) {
                    switchToTunnel(res);
                    return;
                }
                if (code < 200) {
                    interim = true; // 1xx: not passed on (Expect: 100-continue is answered by the router)
                    ReferenceCountUtil.release(msg);
                    return;
                }
                startResponse(res);
                if (msg instanceof LastHttpContent last) {
                    if (series != null) {
                        series.responseBytes(last.content().readableBytes());
                    }
                    endResponse(last);
                }
                return;
            }
            if (msg instanceof HttpContent content) {
                if (interim || !responseStarted) {
                    if (content instanceof LastHttpContent) {
                        interim = false;
                    }
                    content.release();
                    return;
                }
                if (series != null) {
                    series.responseBytes(content.content().readableBytes());
                }
                if (content instanceof LastHttpContent last) {
                    endResponse(last);
                } else {
                    writeHeldHead();
                    ctx.write(content, ctx.voidPromise());
                    if (!ctx.channel().isWritable()) {
                        up.channel().config().setAutoRead(false);
                    }
                }
                return;
            }
            ReferenceCountUtil.release(msg);
        }

        private void startResponse(HttpResponse res) {
            up.responseStarted();
            if (hasBody) {
                pool.liveness().answered(up.channel());
            }
            responseStarted = true;
            int code = res.status().code();
            shared.table().restore(backend);
            measure(code);
            upstreamReusable = HttpUtil.isKeepAlive(res);
            HttpHeaders h = res.headers();
            boolean chunked = HttpUtil.isTransferEncodingChunked(res);
            ForwardedHeaders.dropHopByHop(h);
            boolean bodyless = head || code == 204 || code == 304;
            if (!bodyless && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                    h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                } else {
                    closeClient = true; // an HTTP/1.0 client reads to the end of the connection
                }
            } else if (chunked && bodyless) {
                h.remove(HttpHeaderNames.CONTENT_LENGTH);
            }
            res.setProtocolVersion(HttpVersion.HTTP_1_1);
            HttpUtil.setKeepAlive(res, clientKeepAlive && !closeClient);
            heldHead = res;
        }

        private void writeHeldHead() {
            if (heldHead != null) {
                ctx.write(heldHead, ctx.voidPromise());
                heldHead = null;
            }
        }

        private void endResponse(LastHttpContent last) {
            done = true;
            finish();
            boolean closing = !clientKeepAlive || closeClient;
            Object end = last;
            if (heldHead != null) {
                HttpResponse res = heldHead;
                heldHead = null;
                end = new DefaultFullHttpResponse(res.protocolVersion(), res.status(), last.content(), res.headers(),
                        last.trailingHeaders());
            }
            // no future to make when nothing waits on it: a failed write closes the connection (exceptionCaught)
            ChannelFuture f = closing ? ctx.writeAndFlush(end) : ctx.writeAndFlush(end, ctx.voidPromise());
            UpstreamConnection c = up;
            up = null;
            pool.release(backend, c, upstreamReusable && requestComplete);
            ex = null;
            if (closing) {
                f.addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (!requestComplete) {
                discarding = true; // the instance answered before reading the whole body: drop the rest
            }
            drainQueue();
        }

        private void switchToTunnel(HttpResponse res) {
            done = true;
            up.responseStarted();
            shared.table().restore(backend);
            measure(101);
            tunnelSeries = series; // active until the tunnel closes
            ended = true;
            FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, res.status());
            switching.headers().set(res.headers());
            switching.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            switching.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            ctx.writeAndFlush(switching);
            UpstreamConnection c = up;
            tunnel = c;
            ex = null;
            pool.liveness().tunnel(c.channel());
            c.attach(new Tunnel());
            // from now on raw bytes: the HTTP codecs leave both pipelines (bytes they hold are handed on)
            c.channel().pipeline().remove("http");
            ctx.pipeline().remove("http");
            if (ctx.pipeline().get("expect-continue") != null) {
                ctx.pipeline().remove("expect-continue");
            }
            if (!ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
        }

        @Override
        public void upstreamReadComplete() {
            writeHeldHead();
            ctx.flush();
        }

        @Override
        public void upstreamWritabilityChanged() {
            if (up != null && !requestComplete) {
                ctx.channel().config().setAutoRead(up.channel().isWritable());
            }
        }

        @Override
        public void upstreamClosed(Throwable cause) {
            if (done) {
                return;
            }
            UpstreamConnection c = up;
            up = null;
            if (responseStarted) {
                // part of the response is already with the client: it cannot be completed, end the connection
                done = true;
                finish();
                ex = null;
                writeHeldHead();
                ctx.flush();
                ctx.close();
                return;
            }
            boolean hostGone = UpstreamLiveness.hostGone(cause);
            if (hostGone) {
                shared.table().ejectHost(backend); // its host acknowledges nothing: the other requests pass it over
            } else if (c != null && c.fromIdle && resendable() && staleRetries < STALE_RETRIES) {
                staleRetries++; // the instance closed an idle connection as the request went out: not a failure
                tryBackend(index);
                return;
            }
            boolean retry = retryable();
            logFailure(cause == null ? new java.io.IOException("connection closed before a response") : cause, c != null,
                    retry);
            if (retry) {
                tryBackend(next());
            } else {
                fail(false);
            }
        }

        @Override
        public void upstreamTimedOut() {
            if (done || responseStarted || up == null) {
                return;
            }
            UpstreamConnection c = up;
            up = null;
            c.detach();
            c.channel().close();
            boolean retry = retryable();
            logFailure(new TimeoutException("no response within the response timeout"), true, retry);
            if (retry) {
                tryBackend(next());
            } else {
                fail(true);
            }
        }

        /** Every attempt failed before a response: 502, or 504 after a timeout. */
        private void fail(boolean timeout) {
            done = true;
            finish();
            releasePending();
            ex = null;
            if (timeout) {
                measure(504);
                answer(request, HttpResponseStatus.GATEWAY_TIMEOUT, "App " + d.app() + " did not answer in time.",
                        false);
            } else {
                measure(502);
                answer(request, HttpResponseStatus.BAD_GATEWAY, "App " + d.app() + " could not be reached.", false);
            }
            if (requestComplete) {
                discarding = false;
            }
            drainQueue();
        }

        private void releasePending() {
            if (pending != null) {
                pending.forEach(ReferenceCountUtil::release);
                pending.clear();
            }
        }

        private void logFailure(Throwable e, boolean sent, boolean retry) {
            LOG.log(System.Logger.Level.INFO, "event=upstream-failed app=" + d.app() + " instance="
                    + backend.address() + " sent=" + sent + " retry=" + retry + " error=\""
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "\"");
        }
    }

    /** The instance's side of a WebSocket (or other upgraded) connection: bytes to the client. */
    private final class Tunnel implements UpstreamConnection.Listener {
        @Override
        public void upstreamRead(Object msg) {
            if (msg instanceof ByteBuf bytes) {
                if (tunnelSeries != null) {
                    tunnelSeries.responseBytes(bytes.readableBytes());
                }
                ctx.write(msg);
                if (!ctx.channel().isWritable()) {
                    tunnel.channel().config().setAutoRead(false);
                }
            } else {
                ReferenceCountUtil.release(msg); // the codec's end-of-message marker after the 101
            }
        }

        @Override
        public void upstreamReadComplete() {
            ctx.flush();
        }

        @Override
        public void upstreamWritabilityChanged() {
            ctx.channel().config().setAutoRead(tunnel.channel().isWritable());
        }

        @Override
        public void upstreamClosed(Throwable cause) {
            ctx.flush();
            ctx.close();
        }

        @Override
        public void upstreamTimedOut() {
            // a tunnel has no response timeout
        }
    }

    /** {@code http://host/path?q} → {@code /path?q} (a proxy-style absolute request target). */
    static String originForm(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return "/" + uri;
        }
        int path = uri.indexOf('/', scheme + 3);
        int query = uri.indexOf('?', scheme + 3);
        if (path < 0 || (query >= 0 && query < path)) {
            return query < 0 ? "/" : "/" + uri.substring(query);
        }
        return uri.substring(path);
    }
}
