package dev.pier.router.proxy;

import dev.pier.api.Names;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a request head the codec read before anything of it goes to an instance: what HTTP/1.1 says a server must
 * refuse, and what would let the router and an instance disagree on where a request ends. Pure.
 * <ul>
 *   <li>more than one {@code Host}, or none in HTTP/1.1: 400 (RFC 9112, section 3.2);</li>
 *   <li>a transfer coding other than {@code chunked}: 501 (section 6.1; the router would not know where the body
 *       ends, and neither would the instance: the connection closes);</li>
 *   <li>{@code chunked} not the last coding, or named twice: 400, and the connection closes.</li>
 * </ul>
 */
final class RequestHead {
    /** Why the router refuses a request head: the status, the detail, and whether the connection must close. */
    record Refusal(HttpResponseStatus status, String detail, boolean close) {
    }

    private RequestHead() {
    }

    /** The refusal of {@code request}'s head, or null when it may go on. */
    static Refusal check(HttpRequest request) {
        HttpHeaders headers = request.headers();
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "The request has " + hosts.size()
                    + " Host headers; it must have one.", true);
        }
        if (hosts.isEmpty() && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "The request has no Host header.", true);
        }
        List<String> codings = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
            for (String coding : value.split(",")) {
                codings.add(coding.strip().toLowerCase(Locale.ROOT));
            }
        }
        if (codings.isEmpty()) {
            return null;
        }
        for (String coding : codings) {
            if (!coding.equals("chunked")) {
                return new Refusal(HttpResponseStatus.NOT_IMPLEMENTED, "Transfer-Encoding '"
                        + Names.printable(coding) + "' is not supported; send the body chunked or with a "
                        + "Content-Length.", true);
            }
        }
        if (codings.size() > 1) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "Transfer-Encoding names chunked more than once.", true);
        }
        return null;
    }
}
