package dev.pier.router.proxy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Header rules: hop-by-hop headers are dropped both ways; X-Forwarded-* and request ids are added upstream. Runs
 * for every request on the event loop, so the common case allocates nothing beyond the copy itself.
 */
final class ForwardedHeaders {

    private ForwardedHeaders() {
    }

    /** The headers to send upstream for a request from {@code clientIp} received at {@code startMillis}. */
    static HttpHeaders upstream(HttpHeaders in, String clientIp, String proto, int port, long startMillis) {
        HttpHeaders out = copyEndToEnd(in);
        String xff = in.get("X-Forwarded-For");
        out.set("X-Forwarded-For", xff == null || xff.isBlank() ? clientIp : xff + ", " + clientIp);
        out.set("X-Forwarded-Proto", proto);
        out.set("X-Forwarded-Port", Integer.toString(port));
        out.set("X-Request-Start", "t=" + startMillis);
        String id = in.get("X-Request-Id");
        if (id == null || id.isBlank() || id.length() > 200) {
            out.set("X-Request-Id", newRequestId());
        }
        return out;
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

    /** Every header except hop-by-hop ones (and those the Connection header names). */
    static HttpHeaders copyEndToEnd(HttpHeaders in) {
        Set<String> named = connectionNamed(in);
        HttpHeaders out = new DefaultHttpHeaders(false);
        Iterator<Map.Entry<String, String>> it = in.iteratorAsString();
        while (it.hasNext()) {
            Map.Entry<String, String> e = it.next();
            String name = e.getKey();
            if (!isHopByHop(name) && (named == null || !named.contains(name))) {
                out.add(name, e.getValue());
            }
        }
        return out;
    }

    /** The header names listed in {@code Connection} (case-insensitive set), or null when there is none. */
    private static Set<String> connectionNamed(HttpHeaders in) {
        if (!in.contains(HttpHeaderNames.CONNECTION)) {
            return null;
        }
        Set<String> named = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String value : in.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : value.split(",")) {
                named.add(name.trim().toLowerCase(Locale.ROOT));
            }
        }
        return named;
    }

    /** Connection, Keep-Alive, Proxy-Connection, Proxy-Authenticate, Proxy-Authorization, TE, Trailer, Transfer-Encoding, Upgrade. */
    static boolean isHopByHop(String name) {
        switch (name.length()) {
            case 2:
                return name.equalsIgnoreCase("te");
            case 7:
                return name.equalsIgnoreCase("upgrade") || name.equalsIgnoreCase("trailer");
            case 10:
                return name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 16:
                return name.equalsIgnoreCase("proxy-connection");
            case 17:
                return name.equalsIgnoreCase("transfer-encoding");
            case 18:
                return name.equalsIgnoreCase("proxy-authenticate");
            case 19:
                return name.equalsIgnoreCase("proxy-authorization");
            default:
                return false;
        }
    }
}
