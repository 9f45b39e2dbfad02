package dev.pier.router.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The router's own answers (404, 503, 502, 504, 4xx): small problem+json or HTML, by the client's Accept. */
final class Answers {
    private Answers() {
    }

    /** The answer for a request whose headers are {@code requestHeaders} (null: the request could not be read). */
    static FullHttpResponse of(HttpHeaders requestHeaders, HttpResponseStatus status, String detail) {
        String accept = requestHeaders == null ? "" : requestHeaders.get(HttpHeaderNames.ACCEPT, "");
        boolean json = accept.contains("json") && !accept.contains("text/html");
        String body;
        String type;
        if (json) {
            type = "application/problem+json";
            body = "{\"type\":\"about:blank\",\"title\":\"" + jsonEscape(status.reasonPhrase()) + "\",\"status\":"
                    + status.code() + ",\"detail\":\"" + jsonEscape(detail) + "\"}\n";
        } else {
            type = "text/html; charset=utf-8";
            String title = status.code() + " " + htmlEscape(status.reasonPhrase());
            body = "<!doctype html><html><head><title>" + title + "</title></head><body><h1>" + title
                    + "</h1><p>" + htmlEscape(detail) + "</p></body></html>\n";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return res;
    }

    static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    static String htmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
