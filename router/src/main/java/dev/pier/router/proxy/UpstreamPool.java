package dev.pier.router.proxy;

import dev.pier.router.table.Backend;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to instances, for one event loop: every connection here is registered with that loop, and
 * only that loop's client connections use them, so a proxied exchange runs on one thread from end to end (no task
 * handed to another loop, no wake-up). Not thread-safe: called on its loop only.
 *
 * <p>Per instance address it keeps the idle connections (the most recently used is taken first, a connection idle
 * longer than {@code idle-timeout} is closed), opens new ones up to its share of {@code max-connections-per-instance},
 * and beyond that queues the request until a connection is released (at most {@code response-timeout}).
 */
final class UpstreamPool {
    /** Gets the outcome of {@link #acquire}, on the pool's loop. */
    interface Acquirer {
        void acquired(UpstreamConnection connection);

        void failed(Throwable cause);
    }

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final int maxPerAddress;
    private final long idleNanos;
    private final long waitNanos;
    private final Map<String, PerAddress> byAddress = new HashMap<>();
    /** How a dead instance's connections are found out (or the kernel's defaults). */
    private final UpstreamLiveness liveness;

    private static final class PerAddress {
        final String address;
        final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        int open;

        PerAddress(String address) {
            this.address = address;
        }
    }

    private record Waiter(Backend backend, Acquirer acquirer, ScheduledFuture<?> timeout) {
    }

    UpstreamPool(EventLoop loop, Class<? extends Channel> channelType, Duration connectTimeout, int maxPerAddress,
            Duration idleTimeout, Duration waitLimit, Duration deadInstanceTimeout) {
        this.loop = loop;
        this.liveness = UpstreamLiveness.of(deadInstanceTimeout, channelType);
        this.maxPerAddress = maxPerAddress;
        this.idleNanos = idleTimeout.toNanos();
        this.waitNanos = waitLimit.toNanos();
        this.bootstrap = new Bootstrap().group(loop).channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("http", new HttpClientCodec(4096, 65536, 8192, false));
                        ch.pipeline().addLast("upstream", new UpstreamConnection(ch));
                    }
                });
        liveness.configure(bootstrap);
        long sweep = Math.max(TimeUnit.SECONDS.toNanos(1), idleNanos / 2);
        loop.scheduleWithFixedDelay(this::closeIdle, sweep, sweep, TimeUnit.NANOSECONDS);
    }

    UpstreamLiveness liveness() {
        return liveness;
    }

    /** {@code max-connections-per-instance} shared out among the loops, at least one each. */
    static int perLoop(int maxConnectionsPerInstance, int eventLoops) {
        return Math.max(1, (maxConnectionsPerInstance + eventLoops - 1) / eventLoops);
    }

    /** A connection to {@code backend}: an idle one at once, else a new one once connected, else when one frees. */
    void acquire(Backend backend, Acquirer acquirer) {
        PerAddress p = byAddress.computeIfAbsent(backend.address(), PerAddress::new);
        long now = System.nanoTime();
        for (UpstreamConnection c; (c = p.idle.pollLast()) != null; ) {
            if (c.channel().isActive() && now - c.idleSince < idleNanos) {
                c.fromIdle = true;
                acquirer.acquired(c);
                return;
            }
            c.channel().close();
        }
        if (p.open < maxPerAddress) {
            connect(backend, p, acquirer);
            return;
        }
        Waiter[] self = new Waiter[1];
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            if (p.waiters.remove(self[0])) {
                acquirer.failed(new java.util.concurrent.TimeoutException(
                        "no connection to " + backend.address() + " became free in time"));
            }
        }, waitNanos, TimeUnit.NANOSECONDS);
        self[0] = new Waiter(backend, acquirer, timeout);
        p.waiters.add(self[0]);
    }

    private void connect(Backend backend, PerAddress p, Acquirer acquirer) {
        p.open++;
        ChannelFuture f = bootstrap.connect(backend.host(), backend.port());
        f.channel().closeFuture().addListener(closed -> {
            p.open--;
            p.idle.remove((UpstreamConnection) f.channel().pipeline().get("upstream"));
            serveWaiter(p);
            if (p.open == 0 && p.waiters.isEmpty()) {
                byAddress.remove(p.address, p);
            }
        });
        f.addListener(done -> {
            if (done.isSuccess()) {
                UpstreamConnection c = (UpstreamConnection) f.channel().pipeline().get("upstream");
                c.fromIdle = false;
                acquirer.acquired(c);
            } else {
                f.channel().close();
                acquirer.failed(done.cause());
            }
        });
    }

    /** A closed connection left room for a new one: the longest waiting request gets it. */
    private void serveWaiter(PerAddress p) {
        if (p.open < maxPerAddress) {
            Waiter w = p.waiters.poll();
            if (w != null) {
                w.timeout().cancel(false);
                connect(w.backend(), p, w.acquirer());
            }
        }
    }

    /** Takes back a connection after a complete exchange; one that cannot be reused is closed. */
    void release(Backend backend, UpstreamConnection c, boolean reusable) {
        c.detach();
        if (!reusable || !c.channel().isActive()) {
            c.channel().close();
            return;
        }
        PerAddress p = byAddress.get(backend.address());
        if (p == null) {
            c.channel().close();
            return;
        }
        if (!c.channel().config().isAutoRead()) {
            c.channel().config().setAutoRead(true); // paused for a slow client during the exchange just ended
        }
        Waiter w = p.waiters.poll();
        if (w != null) {
            w.timeout().cancel(false);
            c.fromIdle = false; // handed straight on: it has not been idle
            w.acquirer().acquired(c);
            return;
        }
        c.idleSince = System.nanoTime();
        p.idle.addLast(c);
    }

    private void closeIdle() {
        long now = System.nanoTime();
        List<UpstreamConnection> stale = new ArrayList<>();
        for (PerAddress p : byAddress.values()) {
            for (UpstreamConnection c : p.idle) {
                if (now - c.idleSince >= idleNanos) {
                    stale.add(c);
                }
            }
        }
        stale.forEach(c -> c.channel().close());
    }

    /** Closes every connection (the proxy is stopping). */
    void closeAll() {
        for (PerAddress p : List.copyOf(byAddress.values())) {
            List.copyOf(p.idle).forEach(c -> c.channel().close());
        }
    }
}
