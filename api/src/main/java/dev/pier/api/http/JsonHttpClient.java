package dev.pier.api.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.attach.AttachSocket;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The HTTP plumbing shared by Pier's typed clients: a base URL, the cluster key as a bearer token,
 * a timeout on every call, JSON bodies, and problem+json answers turned into {@link PierApiException}.
 */
public class JsonHttpClient {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final String key;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = Json.mapper();

    public JsonHttpClient(URI base, String key, Duration timeout) {
        String url = Objects.requireNonNull(base, "base").toString();
        this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.key = key;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = SharedHttpClients.forCalls(timeout, plainHttpOnly());
    }

    private boolean plainHttpOnly() {
        return "http".equalsIgnoreCase(base.getScheme());
    }

    public URI base() {
        return base;
    }

    /** The WebSocket URI (ws: or wss:) of {@code path} on this service. */
    public URI webSocketUri(String path) {
        String http = base.toString();
        return URI.create((http.startsWith("https:") ? "wss:" + http.substring(6) : "ws:" + http.substring(5)) + path);
    }

    /**
     * Opens the attach WebSocket at {@code path} with the cluster key (see {@link AttachSocket}), always on a new
     * connection: the JDK's client would otherwise send the upgrade on a kept-alive connection of this client's
     * calls, and a server that closes that connection after its last allowed request (Tomcat's
     * {@code max-keep-alive-requests}, 100) answers the upgrade with {@code Connection: upgrade} and
     * {@code Connection: close}, which the JDK refuses.
     */
    public CompletableFuture<AttachSocket> attachSocket(String path, AttachSocket.Handler handler) {
        return AttachSocket.connect(SharedHttpClients.forWebSockets(timeout, plainHttpOnly()), webSocketUri(path), key,
                timeout, handler);
    }

    /** The timeout of each call. */
    public Duration timeout() {
        return timeout;
    }

    protected ObjectMapper json() {
        return json;
    }

    /** Percent-encodes one path segment or query value. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Builds {@code path?k=v&...} from the non-null entries of {@code query}. */
    public static String withQuery(String path, Map<String, ?> query) {
        StringJoiner joiner = new StringJoiner("&");
        query.forEach((k, v) -> {
            if (v != null) {
                joiner.add(encode(k) + "=" + encode(String.valueOf(v)));
            }
        });
        return joiner.length() == 0 ? path : path + "?" + joiner;
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Accept", "application/json");
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    public <T> T get(String path, Class<T> type) {
        return send(request(path).GET().build(), json.constructType(type));
    }

    public <T> T get(String path, TypeReference<T> type) {
        return send(request(path).GET().build(), json.constructType(type));
    }

    public <T> T post(String path, Object body, Class<T> type) {
        return send(withBody(request(path), "POST", body), json.constructType(type));
    }

    public <T> T put(String path, Object body, Class<T> type) {
        return send(withBody(request(path), "PUT", body), json.constructType(type));
    }

    public <T> T patch(String path, Object body, Class<T> type) {
        return send(withBody(request(path), "PATCH", body), json.constructType(type));
    }

    public void delete(String path) {
        send(request(path).DELETE().build(), null);
    }

    protected HttpRequest withBody(HttpRequest.Builder builder, String method, Object body) {
        try {
            byte[] bytes = body == null ? new byte[0] : json.writeValueAsBytes(body);
            return builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes))
                    .build();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode request body: " + e.getMessage(), e);
        }
    }

    /** Sends a request and decodes a 2xx JSON answer into {@code type} (null type: the body is ignored). */
    public <T> T send(HttpRequest request, JavaType type) {
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
        byte[] body = response.body();
        if (response.statusCode() >= 300) {
            throw problem(response.statusCode(), body);
        }
        if (type == null || body.length == 0) {
            return null;
        }
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new PierApiException("unreadable answer from " + request.uri() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a streaming response (e.g. Server-Sent Events); the caller closes the stream. The request's
     * timeout applies to the answer's headers only when the builder was given none: streams set their own.
     */
    public InputStream openStream(HttpRequest request) {
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 300) {
            try (InputStream in = response.body()) {
                throw problem(response.statusCode(), in.readNBytes(64 * 1024));
            } catch (IOException e) {
                throw new PierApiException(response.statusCode(), "HTTP " + response.statusCode(), null, null);
            }
        }
        return response.body();
    }

    /**
     * Reads a newline-delimited JSON stream ({@code application/x-ndjson}) until it ends, passing each
     * object to {@code sink} (blank keep-alive lines are skipped). {@code what} names the stream in errors.
     */
    public <T> void readNdjson(HttpRequest request, Class<T> type, Consumer<T> sink, String what) {
        readNdjsonWhile(request, type, item -> {
            sink.accept(item);
            return true;
        }, what);
    }

    /** As {@link #readNdjson}, but stops (and closes the stream) as soon as {@code sink} answers false. */
    public <T> void readNdjsonWhile(HttpRequest request, Class<T> type, Predicate<T> sink,
                                    String what) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(openStream(request), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !sink.test(json.readValue(line, type))) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new PierApiException(what + " broke: " + e.getMessage(), e);
        }
    }

    /**
     * Sends a request. One the service can be sent twice with the effect of once ({@link #idempotent}) is sent again,
     * on a new connection, when the connection it went on closed before the whole answer came: a kept-alive
     * connection to a service whose machine lost its power and came back (the scheduler's first start on that
     * machine failed on it) or that restarted meanwhile. {@value #SENDS} sends at most: each stale connection of
     * the pool is dropped as it fails.
     */
    protected <B> HttpResponse<B> exchange(HttpRequest request, HttpResponse.BodyHandler<B> handler) {
        int sends = 0;
        try {
            while (true) {
                try {
                    sends++;
                    return sendOnce(request, handler);
                } catch (IOException e) {
                    if (!closedBeforeTheAnswer(e) || !idempotent(request) || sends == SENDS) {
                        throw e;
                    }
                }
            }
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new PierApiException("cannot reach " + base + ": connection refused or timed out", e);
        } catch (HttpTimeoutException e) {
            throw new PierApiException("no answer from " + base + " within " + timeout.toSeconds() + " s", e);
        } catch (TimeoutException e) {
            throw new PierApiException("the answer from " + base + " began but did not end within "
                    + request.timeout().orElse(timeout).toSeconds() + " s", e);
        } catch (IOException e) {
            if (closedBeforeTheAnswer(e)) {
                throw new PierApiException(base + " closed the connection before its whole answer came (sent "
                        + sends + (sends == 1 ? " time" : " times") + ")", e);
            }
            throw new PierApiException("cannot reach " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PierApiException("interrupted while calling " + base, e);
        }
    }

    /**
     * Sends {@code request} once and waits for {@code handler}'s body: the whole answer, or for a stream its headers.
     * The JDK's request timeout ends when the answer's headers come; a service that stops in the middle of its answer
     * (its machine lost its power) would leave the caller waiting for the rest without end (the scheduler's loop did,
     * bench/chaos 2026-12-08). So the whole answer gets the request's timeout and {@link #WHOLE_ANSWER_GRACE} more,
     * after which the exchange is cancelled, and with it its connection.
     */
    private <B> HttpResponse<B> sendOnce(HttpRequest request, HttpResponse.BodyHandler<B> handler)
            throws IOException, InterruptedException, TimeoutException {
        CompletableFuture<HttpResponse<B>> answer = http.sendAsync(request, handler);
        Duration deadline = request.timeout().orElse(timeout).plus(WHOLE_ANSWER_GRACE);
        try {
            return answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        } catch (TimeoutException | InterruptedException e) {
            answer.cancel(true); // aborts the exchange and closes its connection
            throw e;
        }
    }

    /**
     * How long after a request's timeout its answer may still be coming once it began: the JDK's own timeout, for an
     * answer that never began, comes first and says so.
     */
    public static final Duration WHOLE_ANSWER_GRACE = Duration.ofSeconds(1);

    /** How many times an idempotent request is sent at most when its connection closes before the answer. */
    static final int SENDS = 3;

    /**
     * The header that makes a POST safe to send again: the service does what it asks once however often it comes
     * (a job's start carries the job's id).
     */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** Whether sending {@code request} twice does what sending it once does (RFC 9110's methods, or a keyed POST). */
    static boolean idempotent(HttpRequest request) {
        return switch (request.method()) {
            case "GET", "HEAD", "PUT", "DELETE", "OPTIONS" -> true;
            default -> request.headers().firstValue(IDEMPOTENCY_KEY).isPresent();
        };
    }

    /**
     * The connection ended before the whole answer came: the peer closed it (end of stream) or reset it, or it was
     * gone when the request was written. Not a refused connection or a timeout, which say the service is not there
     * or not answering. The JDK names the first case by its message ("HTTP/1.1 header parser received no bytes"),
     * over a cause that varies with how the connection ended (an {@link EOFException}, "Connection reset", or from
     * the scheduler to an agent back from a power loss, neither).
     */
    static boolean closedBeforeTheAnswer(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            if (cause instanceof EOFException || message.contains("header parser received no bytes")
                    || message.startsWith("Connection reset") || message.equals("Broken pipe")) {
                return true;
            }
        }
        return false;
    }

    /** Reads an RFC 9457 problem body; a non-problem body still gives a readable message. */
    public static PierApiException problem(int status, byte[] body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node != null && node.isObject()) {
                return new PierApiException(status, text(node, "title"), text(node, "detail"), text(node, "field"));
            }
        } catch (IOException ignored) {
            // Not JSON: fall through to the raw text.
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return new PierApiException(status, "HTTP " + status, text.isEmpty() ? null : abbreviate(text), null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
