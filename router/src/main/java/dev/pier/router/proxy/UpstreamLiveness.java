package dev.pier.router.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Errors;
import java.net.NoRouteToHostException;
import java.time.Duration;

/**
 * How the router tells a dead instance from a slow one: by its host's kernel, not by its app. A machine that lost its
 * power or its network acknowledges nothing, and without help a connection to it lives on for minutes (Linux gives up
 * on unacknowledged data after about 15 minutes of retransmissions, and sends its first keep-alive probe after two
 * hours): a request sent on a kept-alive connection to it would wait out the whole {@code response-timeout}. A live
 * host acknowledges within milliseconds however long its app takes to answer.
 *
 * <p>So every connection to an instance is given, on Linux ({@code epoll}), {@code TCP_USER_TIMEOUT} (the most time
 * what the router sent may stay unacknowledged before the kernel closes the connection) and keep-alive probes that
 * start after half of it in silence, so that a connection waiting for a response whose request was acknowledged
 * before the host died is found out too. A connection found dead closes with {@code ETIMEDOUT} (or
 * {@code EHOSTUNREACH}, when the host's address stopped answering ARP meanwhile): the exchange then fails over as for
 * any connection closed before a response ({@link ClientConnection}), and every instance on that host is ejected, as
 * after a connect that got no answer ({@link #hostGone}).
 *
 * <p>The kernel applies {@code TCP_USER_TIMEOUT} to a closed receive window too: a live app that stops reading a
 * request body for longer would lose its connection. A request with a body therefore goes out without it ({@link
 * #sendingBody}) and gets it back when the response starts ({@link #answered}: the app has read what it wanted), and
 * a WebSocket tunnel keeps only the probes ({@link #tunnel}). Without epoll (not Linux) the kernel's defaults apply.
 */
final class UpstreamLiveness {
    /** {@code errno} values on Linux, the only system with epoll. */
    private static final int ETIMEDOUT_NEGATIVE = -110;

    /** The kernel's defaults: no epoll, or 0 asked. Sets nothing. */
    private static final UpstreamLiveness KERNEL_DEFAULTS = new UpstreamLiveness(0, 0, 0);

    /** 0 when the kernel's defaults apply. */
    private final int userTimeoutMillis;
    private final int keepIdleSeconds;
    private final int keepCount;

    private UpstreamLiveness(int userTimeoutMillis, int keepIdleSeconds, int keepCount) {
        this.userTimeoutMillis = userTimeoutMillis;
        this.keepIdleSeconds = keepIdleSeconds;
        this.keepCount = keepCount;
    }

    /** For connections of {@code channelType}: the kernel's defaults without epoll, or when 0 is asked. */
    static UpstreamLiveness of(Duration timeout, Class<? extends Channel> channelType) {
        if (timeout.isZero() || !EpollSocketChannel.class.isAssignableFrom(channelType)) {
            return KERNEL_DEFAULTS;
        }
        int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
        int keepIdle = Math.max(1, seconds / 2);
        return new UpstreamLiveness((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()), keepIdle,
                Math.max(1, seconds - keepIdle));
    }

    private boolean kernelDefaults() {
        return userTimeoutMillis == 0;
    }

    /** Sets every new connection's options. */
    void configure(Bootstrap bootstrap) {
        if (kernelDefaults()) {
            return;
        }
        bootstrap.option(EpollChannelOption.TCP_USER_TIMEOUT, userTimeoutMillis)
                .option(EpollChannelOption.TCP_KEEPIDLE, keepIdleSeconds)
                .option(EpollChannelOption.TCP_KEEPINTVL, 1)
                .option(EpollChannelOption.TCP_KEEPCNT, keepCount);
    }

    /** A request body is about to go out: the app may take its time reading it. */
    void sendingBody(Channel channel) {
        if (kernelDefaults()) {
            return;
        }
        channel.config().setOption(EpollChannelOption.TCP_USER_TIMEOUT, 0);
    }

    /** The app answers a request that had a body: from now on its host must acknowledge in time again. */
    void answered(Channel channel) {
        if (kernelDefaults()) {
            return;
        }
        channel.config().setOption(EpollChannelOption.TCP_USER_TIMEOUT, userTimeoutMillis);
    }

    /** A WebSocket tunnel: either side may stop reading for as long as it likes; only a silent host is dead. */
    void tunnel(Channel channel) {
        if (kernelDefaults()) {
            return;
        }
        channel.config().setOption(EpollChannelOption.TCP_USER_TIMEOUT, 0);
    }

    /**
     * The instance's host does not answer at all: the kernel closed a connection because nothing it sent was
     * acknowledged, or the host's address stopped answering ARP, or a connect got no answer in time. Its other
     * instances are gone too. (A refused connect is not this: the host answered, one port is closed.)
     */
    static boolean hostGone(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectTimeoutException || t instanceof NoRouteToHostException) {
                return true;
            }
            if (t instanceof Errors.NativeIoException e && (e.expectedErr() == ETIMEDOUT_NEGATIVE
                    || e.expectedErr() == Errors.ERROR_EHOSTUNREACH_NEGATIVE)) {
                return true;
            }
        }
        return false;
    }
}
