package dev.pier.router.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a connection to an instance: hands what the instance sends to the exchange using the
 * connection, and keeps its response timeout. The timeout costs no timer per request: one check is scheduled and,
 * when it fires early (the deadline moved on with later requests), it schedules itself for the new deadline.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
    /** What an exchange hears from its upstream connection (on the connection's loop). */
    interface Listener {
        void upstreamRead(Object msg);

        void upstreamReadComplete();

        void upstreamWritabilityChanged();

        void upstreamClosed(Throwable cause);

        void upstreamTimedOut();
    }

    private final Channel channel;
    private Listener listener;
    long idleSince;
    /**
     * Taken from the idle connections, not opened for this exchange: the instance may have closed it at the same
     * moment (its keep-alive timeout, e.g. Node.js's 5 s) without reading the request, so a close before any
     * response is no sign the instance is failing.
     */
    boolean fromIdle;
    private long deadline;
    private ScheduledFuture<?> check;
    private Throwable failure;

    UpstreamConnection(Channel channel) {
        this.channel = channel;
    }

    Channel channel() {
        return channel;
    }

    void attach(Listener l) {
        this.listener = l;
    }

    void detach() {
        this.listener = null;
        this.deadline = 0;
    }

    /** Starts the response timeout (the request has been sent). */
    void awaitResponse(long timeoutNanos) {
        deadline = System.nanoTime() + timeoutNanos;
        if (check == null) {
            check = channel.eventLoop().schedule(this::checkDeadline, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Response headers arrived: no timeout any more for this exchange. */
    void responseStarted() {
        deadline = 0;
    }

    private void checkDeadline() {
        check = null;
        if (deadline == 0) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            check = channel.eventLoop().schedule(this::checkDeadline, left, TimeUnit.NANOSECONDS);
            return;
        }
        deadline = 0;
        if (listener != null) {
            listener.upstreamTimedOut();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (listener != null) {
            listener.upstreamRead(msg);
        } else {
            // an idle connection must not speak: whatever it sent makes it unusable
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.upstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.upstreamWritabilityChanged();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = cause;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
        Listener l = listener;
        listener = null;
        if (l != null) {
            l.upstreamClosed(failure);
        }
    }
}
