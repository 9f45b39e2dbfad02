package dev.pier.router.tls;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.time.Duration;

/**
 * First handler of a TLS connection: reads the ClientHello's server name (SNI) and puts in its place the
 * {@link SslHandler} of that domain's certificate. A name with no certificate, a ClientHello without a name, or
 * bytes that are not TLS get a fatal TLS alert ({@code unrecognized_name}, or {@code handshake_failure} without a
 * name) and the connection is closed: the router never presents another domain's certificate, and has no default
 * one.
 */
public final class SniSelector extends AbstractSniHandler<SslContext> {
    private static final System.Logger LOG = System.getLogger(SniSelector.class.getName());
    /** TLS alert records (content type 21, TLS 1.2 record version, length 2, fatal, description). */
    private static final byte[] UNRECOGNIZED_NAME = {21, 3, 3, 0, 2, 2, 112};
    private static final byte[] HANDSHAKE_FAILURE = {21, 3, 3, 0, 2, 2, 40};

    private final Certificates certificates;

    public SniSelector(Certificates certificates, Duration handshakeTimeout) {
        super(handshakeTimeout.toMillis());
        this.certificates = certificates;
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) {
        return ctx.executor().newSucceededFuture(certificates.find(hostname));
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<SslContext> future) {
        SslContext context = future.getNow();
        if (context == null) {
            LOG.log(System.Logger.Level.DEBUG, "event=tls-refused server-name=" + (hostname == null ? "none" : hostname)
                    + " remote=" + ctx.channel().remoteAddress());
            ctx.channel().config().setAutoRead(false);
            byte[] alert = hostname == null ? HANDSHAKE_FAILURE : UNRECOGNIZED_NAME;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(alert)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        SslHandler ssl = context.newHandler(ctx.alloc());
        ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        // the bytes read so far (the ClientHello) are handed on to the SslHandler when this handler leaves
        ctx.pipeline().replace(this, "pier-tls", ssl);
    }
}
