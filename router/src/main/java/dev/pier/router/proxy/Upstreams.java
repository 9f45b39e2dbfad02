package dev.pier.router.proxy;

import dev.pier.router.RouterProperties;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Keep-alive connections to instances, one pool per event loop. A request is handled on the event loop of its
 * client connection; taking the upstream connection from that loop's own pool (and opening new ones on that
 * loop, since the loops are colocated) keeps the whole exchange on one thread. A single shared pool hands out
 * connections that live on other loops, so every read and write of such an exchange crosses threads (a task
 * queued on the other loop and an eventfd wake-up each way): that was most of the router's cost per request.
 */
final class Upstreams implements AutoCloseable {
    private final RouterProperties props;
    private final LoopResources loops;
    private final int maxConnectionsPerLoop;
    private final List<ConnectionProvider> pools = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<HttpClient> clients = new FastThreadLocal<>() {
        @Override
        protected HttpClient initialValue() {
            return newClient();
        }
    };

    Upstreams(RouterProperties props, LoopResources loops, int eventLoops) {
        this.props = props;
        this.loops = loops;
        this.maxConnectionsPerLoop = perLoop(props.maxConnectionsPerInstance(), eventLoops);
    }

    /** {@code max-connections-per-instance} shared out among the loops, at least one each. */
    static int perLoop(int maxConnectionsPerInstance, int eventLoops) {
        return Math.max(1, (maxConnectionsPerInstance + eventLoops - 1) / eventLoops);
    }

    /** The client whose pool belongs to the calling thread (an event loop of the proxy). */
    HttpClient client() {
        return clients.get();
    }

    private HttpClient newClient() {
        ConnectionProvider pool = ConnectionProvider.builder("pier-router-" + Thread.currentThread().getName())
                .maxConnections(maxConnectionsPerLoop)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(props.idleTimeout())
                // pools of instances that went away are dropped once idle
                .disposeInactivePoolsInBackground(props.idleTimeout(), props.idleTimeout())
                .build();
        pools.add(pool);
        return HttpClient.create(pool)
                .runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) props.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .responseTimeout(props.responseTimeout())
                .keepAlive(true)
                .disableRetry(true);
    }

    @Override
    public void close() {
        for (ConnectionProvider pool : pools) {
            pool.disposeLater().block(Duration.ofSeconds(10));
        }
    }
}
