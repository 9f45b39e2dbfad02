package dev.pier.router.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Header rules: hop-by-hop headers are dropped both ways; X-Forwarded-* and request ids are added upstream. Runs
 * for every request on the event loop, so it edits the decoded headers in place instead of copying them.
 */
final class ForwardedHeaders {
    private static final AsciiString[] HOP_BY_HOP = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
        AsciiString.cached("proxy-connection"), HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION,
        HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE};
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    static final AsciiString X_REQUEST_START = AsciiString.cached("x-request-start");
    static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");

    private ForwardedHeaders() {
    }

    /**
     * Turns a client's request headers into those sent upstream: hop-by-hop ones dropped (but for a WebSocket
     * upgrade, {@code Upgrade: websocket} and {@code Connection: Upgrade} are sent on), X-Forwarded-For appended to,
     * X-Forwarded-Proto/-Port, X-Request-Start set, X-Request-Id kept when sensible or made.
     */
    static void toUpstream(HttpHeaders h, String clientIp, String proto, String port, long startMillis,
            boolean websocket) {
        dropHopByHop(h);
        if (websocket) {
            h.set(HttpHeaderNames.UPGRADE, "websocket");
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE);
        }
        String xff = h.get(X_FORWARDED_FOR);
        h.set(X_FORWARDED_FOR, xff == null || xff.isBlank() ? clientIp : xff + ", " + clientIp);
        h.set(X_FORWARDED_PROTO, proto);
        h.set(X_FORWARDED_PORT, port);
        h.set(X_REQUEST_START, "t=" + startMillis);
        String id = h.get(X_REQUEST_ID);
        if (id == null || id.isBlank() || id.length() > 200) {
            h.set(X_REQUEST_ID, newRequestId());
        }
    }

    /** Removes hop-by-hop headers, and those the Connection header names. */
    static void dropHopByHop(HttpHeaders h) {
        List<String> named = null;
        for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : value.split(",")) {
                String n = name.trim();
                if (!n.isEmpty()) {
                    if (named == null) {
                        named = new ArrayList<>(2);
                    }
                    named.add(n);
                }
            }
        }
        if (named != null) {
            named.forEach(h::remove);
        }
        for (AsciiString name : HOP_BY_HOP) {
            h.remove(name);
        }
    }

    /** Whether {@code name} is a hop-by-hop header (any case). */
    static boolean isHopByHop(CharSequence name) {
        for (AsciiString hop : HOP_BY_HOP) {
            if (hop.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A random version-4 UUID for {@code X-Request-Id}. From {@link ThreadLocalRandom}, not
     * {@link UUID#randomUUID()}: a request id only correlates log lines, it guards nothing, and
     * {@code randomUUID} draws from the one shared, synchronized {@code SecureRandom} on every request.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
