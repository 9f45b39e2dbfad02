package dev.pier.api.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JDK HTTP clients a JVM's {@link JsonHttpClient}s share: one per connect timeout, TLS or not, and use (calls,
 * or attach WebSockets). Each JDK client has a selector thread and a pool of worker threads of its own, idle for a
 * minute before they end; a machine's JVM, with a client per host agent, discoverd, router and peer, had 28 such
 * threads (docs/benchmarks.md, "the first hour"). Shared, they are one selector and the workers the load needs.
 * Kept-alive connections are shared too, by address, as a browser shares them between tabs.
 */
final class SharedHttpClients {
    /** What makes two clients interchangeable. */
    private record Kind(Duration connectTimeout, boolean plainHttpOnly, boolean webSockets) {
    }

    private static final Map<Kind, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private SharedHttpClients() {
    }

    /** The client for calls (kept-alive connections) with this connect timeout. */
    static HttpClient forCalls(Duration connectTimeout, boolean plainHttpOnly) {
        return CLIENTS.computeIfAbsent(new Kind(connectTimeout, plainHttpOnly, false), SharedHttpClients::build);
    }

    /**
     * The client for attach WebSockets: apart from the one for calls, so an upgrade always goes on a connection of
     * its own (see {@link JsonHttpClient#attachSocket}); it keeps none alive, as each it opens is upgraded or closed.
     */
    static HttpClient forWebSockets(Duration connectTimeout, boolean plainHttpOnly) {
        return CLIENTS.computeIfAbsent(new Kind(connectTimeout, plainHttpOnly, true), SharedHttpClients::build);
    }

    private static HttpClient build(Kind kind) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(kind.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1);
        if (kind.plainHttpOnly()) {
            PlainHttpOnly.withoutTls(builder);
        }
        return builder.build();
    }
}
