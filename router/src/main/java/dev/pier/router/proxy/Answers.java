package dev.pier.router.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** The router's own answers (404, 503, 502, 504): small problem+json or HTML, by the client's Accept. */
final class Answers {
    private Answers() {
    }

    static Mono<Void> send(HttpServerRequest req, HttpServerResponse res, HttpResponseStatus status, String detail) {
        String accept = req.requestHeaders().get(HttpHeaderNames.ACCEPT, "");
        boolean json = accept.contains("json") && !accept.contains("text/html");
        String body;
        if (json) {
            res.header(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
            body = "{\"type\":\"about:blank\",\"title\":\"" + jsonEscape(status.reasonPhrase()) + "\",\"status\":"
                    + status.code() + ",\"detail\":\"" + jsonEscape(detail) + "\"}\n";
        } else {
            res.header(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
            String title = status.code() + " " + htmlEscape(status.reasonPhrase());
            body = "<!doctype html><html><head><title>" + title + "</title></head><body><h1>" + title
                    + "</h1><p>" + htmlEscape(detail) + "</p></body></html>\n";
        }
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        res.status(status).header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(bytes.length));
        return res.sendByteArray(Mono.just(bytes)).then();
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
