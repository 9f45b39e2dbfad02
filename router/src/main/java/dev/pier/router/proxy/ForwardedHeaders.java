package dev.pier.router.proxy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Header rules: hop-by-hop headers are dropped both ways; X-Forwarded-* and request ids are added upstream. */
final class ForwardedHeaders {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

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
            out.set("X-Request-Id", UUID.randomUUID().toString());
        }
        return out;
    }

    /** Every header except hop-by-hop ones (and those the Connection header names). */
    static HttpHeaders copyEndToEnd(HttpHeaders in) {
        Set<String> drop = new HashSet<>(HOP_BY_HOP);
        for (String value : in.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : value.split(",")) {
                drop.add(name.trim().toLowerCase(Locale.ROOT));
            }
        }
        HttpHeaders out = new DefaultHttpHeaders();
        in.forEach(e -> {
            if (!drop.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                out.add(e.getKey(), e.getValue());
            }
        });
        return out;
    }
}
