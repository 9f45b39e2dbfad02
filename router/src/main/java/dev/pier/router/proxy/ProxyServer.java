package dev.pier.router.proxy;

import dev.pier.router.RouterProperties;
import dev.pier.router.metrics.RouterMetrics;
import dev.pier.router.table.RoutingTable;
import dev.pier.router.tls.Certificates;
import dev.pier.router.tls.SniSelector;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP and HTTPS proxy listeners, on Netty directly. Each request's {@code Host} is resolved in the
 * {@link RoutingTable} and the request is streamed to an instance over a pooled keep-alive connection, and the
 * response back (see {@link ClientConnection}). Connections to instances are pooled per event loop
 * ({@link UpstreamPool}), so an exchange never leaves the thread of its client connection.
 *
 * <p>Why not Reactor Netty's {@code HttpServer}/{@code HttpClient} as before: measured on the 2-core bench machine,
 * their per-request machinery (a reactive pipeline per exchange, handlers added and removed for every timeout, a
 * shared connection pool whose connections live on other event loops) cost about twice the CPU per request of this
 * direct use of Netty's HTTP codecs, and the router's throughput on that machine is bounded by CPU.
 */
public final class ProxyServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProxyServer.class.getName());
    /** A TLS client must finish its handshake within this (or read-timeout, if shorter). */
    static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final EventLoopGroup loops;
    private final Map<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final Channel server;
    private final Channel tlsServer;

    /** A proxy without TLS certificates (its TLS port refuses every handshake). */
    public ProxyServer(RouterProperties props, RoutingTable table, RouterMetrics metrics) {
        this(props, table, metrics, new Certificates());
    }

    public ProxyServer(RouterProperties props, RoutingTable table, RouterMetrics metrics, Certificates certificates) {
        int threads = props.eventLoopThreads();
        boolean epoll = Epoll.isAvailable();
        DefaultThreadFactory threadFactory = new DefaultThreadFactory("pier-router", true);
        this.loops = epoll ? new EpollEventLoopGroup(threads, threadFactory) : new NioEventLoopGroup(threads, threadFactory);
        Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends SocketChannel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        int perLoop = UpstreamPool.perLoop(props.maxConnectionsPerInstance(), threads);
        java.util.function.Function<Channel, UpstreamPool> poolOf = ch -> pools.computeIfAbsent(ch.eventLoop(),
                loop -> new UpstreamPool(loop, clientType, props.connectTimeout(), perLoop, props.idleTimeout(),
                        props.responseTimeout(), props.deadInstanceTimeout()));
        Duration handshakeTimeout = props.readTimeout().compareTo(TLS_HANDSHAKE_TIMEOUT) < 0
                ? props.readTimeout() : TLS_HANDSHAKE_TIMEOUT;
        try {
            TrustedProxies trusted = props.trusted();
            this.server = listen(serverType, props, props.port(), new ClientConnection.Shared(table, metrics, "http",
                    props.responseTimeout().toNanos(), props.readTimeout().toNanos(), props.idleTimeout().toNanos(),
                    poolOf, trusted), null);
            this.tlsServer = listen(serverType, props, props.tlsPort(), new ClientConnection.Shared(table, metrics,
                    "https", props.responseTimeout().toNanos(), props.readTimeout().toNanos(),
                    props.idleTimeout().toNanos(), poolOf, trusted), () -> new SniSelector(certificates,
                    handshakeTimeout));
        } catch (RuntimeException e) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "event=proxy-listening address=" + props.bindAddress() + " port=" + port()
                + " tls-port=" + tlsPort() + " event-loops=" + threads + " transport=" + (epoll ? "epoll" : "nio"));
    }

    private Channel listen(Class<? extends ServerChannel> type, RouterProperties props, int port,
            ClientConnection.Shared shared, java.util.function.Supplier<SniSelector> tls) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops).channel(type)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            p.addLast("pier-sni", tls.get());
                        }
                        ClientConnection connection = new ClientConnection(shared);
                        p.addLast("clock", connection.new ReadClock());
                        p.addLast("http", new HttpServerCodec(props.maxInitialLine(), props.maxHeaderSize(), 8192));
                        p.addLast("expect-continue", new HttpServerExpectContinueHandler());
                        p.addLast("proxy", connection);
                    }
                });
        try {
            return bootstrap.bind(new InetSocketAddress(props.bindAddress(), port)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding port " + port, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + props.bindAddress() + ":" + port + ": " + e.getMessage(),
                    e);
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public int tlsPort() {
        return ((InetSocketAddress) tlsServer.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        tlsServer.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        pools.forEach((loop, pool) -> loop.execute(pool::closeAll));
        loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
