package dev.pier.router.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Header rules: hop-by-hop headers are dropped both ways; the forwarding headers ({@code Forwarded},
 * {@code X-Forwarded-For/-Host/-Proto/-Port}) and request ids are set upstream. The forwarding headers are all the
 * router's own, replacing whatever the client sent, unless the client is a trusted proxy: then its word is kept and
 * the router's added (its hop appended to {@code Forwarded} and {@code X-Forwarded-For}). Runs for every request on
 * the event loop, so it edits the decoded headers in place instead of copying them.
 */
final class ForwardedHeaders {
    private static final AsciiString[] HOP_BY_HOP = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
        AsciiString.cached("proxy-connection"), HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION,
        HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE};
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    static final AsciiString X_REQUEST_START = AsciiString.cached("x-request-start");
    static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");

    private ForwardedHeaders() {
    }

    /**
     * Turns a client's request headers into those sent upstream: hop-by-hop ones dropped (but for a WebSocket
     * upgrade, {@code Upgrade: websocket} and {@code Connection: Upgrade} are sent on), the forwarding headers set
     * (see the class; {@code trusted}: the client is a trusted proxy), X-Request-Start set, X-Request-Id kept when
     * sensible or made.
     */
    static void toUpstream(HttpHeaders h, String clientIp, String proto, String port, long startMillis,
            boolean websocket, boolean trusted) {
        dropHopByHop(h);
        if (websocket) {
            h.set(HttpHeaderNames.UPGRADE, "websocket");
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE);
        }
        String host = h.get(HttpHeaderNames.HOST);
        String hop = forwardedElement(clientIp, host, proto);
        if (trusted) {
            append(h, FORWARDED, hop);
            append(h, X_FORWARDED_FOR, clientIp);
            setIfAbsent(h, X_FORWARDED_PROTO, proto);
            setIfAbsent(h, X_FORWARDED_PORT, port);
            if (host != null) {
                setIfAbsent(h, X_FORWARDED_HOST, host);
            }
        } else {
            h.set(FORWARDED, hop);
            h.set(X_FORWARDED_FOR, clientIp);
            h.set(X_FORWARDED_PROTO, proto);
            h.set(X_FORWARDED_PORT, port);
            if (host != null) {
                h.set(X_FORWARDED_HOST, host);
            } else {
                h.remove(X_FORWARDED_HOST);
            }
        }
        h.set(X_REQUEST_START, "t=" + startMillis);
        String id = h.get(X_REQUEST_ID);
        if (id == null || id.isBlank() || id.length() > 200) {
            h.set(X_REQUEST_ID, newRequestId());
        }
    }

    /** This hop as an RFC 7239 element: {@code for=<client>;host=<host>;proto=<proto>}, quoted where needed. */
    static String forwardedElement(String clientIp, String host, String proto) {
        String node = clientIp.indexOf(':') >= 0 ? "\"[" + clientIp + "]\"" : clientIp;
        StringBuilder element = new StringBuilder("for=").append(node);
        if (host != null && !host.isEmpty()) {
            element.append(";host=").append(token(host));
        }
        return element.append(";proto=").append(proto).toString();
    }

    /** A value as an RFC 7230 token when it is one, else as a quoted string. */
    private static String token(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 0x80) && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
        }
        return value;
    }

    /** All values of a header the client may have sent several times, as one list, with {@code value} at the end. */
    private static void append(HttpHeaders h, CharSequence name, String value) {
        List<String> given = h.getAll(name);
        String joined = given.isEmpty() ? "" : String.join(", ", given);
        h.set(name, joined.isBlank() ? value : joined + ", " + value);
    }

    private static void setIfAbsent(HttpHeaders h, CharSequence name, String value) {
        String given = h.get(name);
        if (given == null || given.isBlank()) {
            h.set(name, value);
        }
    }

    /** Removes hop-by-hop headers, and those the Connection header names. */
    static void dropHopByHop(HttpHeaders h) {
        if (h.contains(HttpHeaderNames.CONNECTION)) { // most requests have none; most responses say keep-alive
            List<String> named = new ArrayList<>(2);
            for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
                for (int start = 0, end; start < value.length(); start = end + 1) {
                    end = value.indexOf(',', start);
                    if (end < 0) {
                        end = value.length();
                    }
                    String n = value.substring(start, end).trim();
                    if (!n.isEmpty()) {
                        named.add(n);
                    }
                }
            }
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
