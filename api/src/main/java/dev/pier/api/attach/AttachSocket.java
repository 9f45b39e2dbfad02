package dev.pier.api.attach;

import dev.pier.api.http.JsonHttpClient;
import dev.pier.api.http.PierApiException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * The client end of an attach WebSocket ({@link AttachProtocol}), over {@code java.net.http}: it sends the cluster
 * key, sends one message at a time (each send waits until the previous one is written: that is the flow control
 * toward the server), and hands the server's messages to a {@link Handler} one at a time, asking for the next only
 * when the handler returns (the flow control toward the client).
 */
public final class AttachSocket {
    /** What the server sends; runs on the HTTP client's threads, one call at a time. */
    public interface Handler {
        /** A binary message, or a fragment of one: output bytes. */
        void binary(byte[] bytes);

        /** A whole text message. */
        void text(String message);

        /** The server closed the socket (called at most once, and never after {@link #failed}). */
        void closed(int code, String reason);

        /** The connection broke (called at most once, and never after {@link #closed}). */
        void failed(Throwable error);
    }

    /** The HTTP status of an accepted upgrade. */
    private static final int SWITCHING_PROTOCOLS = 101;

    private final WebSocket socket;
    private final Duration timeout;
    private final String peer;

    private AttachSocket(WebSocket socket, Duration timeout, String peer) {
        this.socket = socket;
        this.timeout = timeout;
        this.peer = peer;
    }

    /**
     * Opens {@code uri} (ws: or wss:) with {@code Authorization: Bearer key}. The future fails with a
     * {@link PierApiException}: the server's problem when it refused the handshake, status 0 when unreachable.
     */
    public static CompletableFuture<AttachSocket> connect(HttpClient http, URI uri, String key, Duration timeout,
                                                          Handler handler) {
        String peer = uri.getHost() + ":" + uri.getPort();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder.buildAsync(uri, new Relay(handler))
                .handle((BiFunction<WebSocket, Throwable, AttachSocket>) (socket, error) -> {
                    if (error != null) {
                        throw new CompletionException(handshakeFailure(peer, unwrap(error)));
                    }
                    return new AttachSocket(socket, timeout, peer);
                });
    }

    /** {@link #connect}, waiting for the handshake. */
    public static AttachSocket open(HttpClient http, URI uri, String key, Duration timeout, Handler handler) {
        try {
            return connect(http, uri, key, timeout, handler).get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof PierApiException api ? api : new PierApiException(
                    "cannot attach through " + peer(uri) + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PierApiException("no WebSocket handshake from " + peer(uri) + " within "
                    + timeout.toSeconds() * 2 + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PierApiException("interrupted while attaching through " + peer(uri), e);
        }
    }

    private static String peer(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    static PierApiException handshakeFailure(String peer, Throwable error) {
        if (error instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            if (status == SWITCHING_PROTOCOLS) {
                // The server switched, but its answer broke a rule of RFC 6455 that the JDK checks.
                Throwable rule = handshake.getCause() != null ? handshake.getCause() : handshake;
                return new PierApiException("the WebSocket handshake with " + peer + " failed: "
                        + (rule.getMessage() != null ? rule.getMessage() : rule.getClass().getSimpleName()), handshake);
            }
            Object body = handshake.getResponse().body();
            byte[] text = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                    : body instanceof byte[] b ? b : new byte[0];
            return JsonHttpClient.problem(status, text);
        }
        if (error instanceof HttpTimeoutException) {
            return new PierApiException("cannot reach " + peer + ": the connection timed out", error);
        }
        return new PierApiException("cannot reach " + peer + ": " + (error.getMessage() != null ? error.getMessage()
                : error.getClass().getSimpleName()), error);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Sends stdin bytes; waits until they are written. */
    public synchronized void sendBinary(byte[] bytes) {
        await(socket.sendBinary(ByteBuffer.wrap(bytes), true), "send to");
    }

    /** Sends a text message (a resize); waits until it is written. */
    public synchronized void sendText(String text) {
        await(socket.sendText(text, true), "send to");
    }

    /** Closes politely (the server answers with its own close); gives up and aborts after the timeout. */
    public synchronized void close(int code, String reason) {
        if (socket.isOutputClosed()) {
            return;
        }
        try {
            socket.sendClose(code, AttachProtocol.reason(reason)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            socket.abort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            socket.abort();
        }
    }

    /** Drops the connection at once. */
    public void abort() {
        socket.abort();
    }

    public boolean isClosed() {
        return socket.isInputClosed() && socket.isOutputClosed();
    }

    private void await(CompletableFuture<WebSocket> send, String what) {
        try {
            send.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PierApiException("cannot " + what + " " + peer + ": " + unwrap(e).getMessage(), e);
        } catch (TimeoutException e) {
            socket.abort();
            throw new PierApiException("cannot " + what + " " + peer + ": nothing written within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PierApiException("interrupted while writing to " + peer, e);
        }
    }

    /** Turns {@code java.net.http}'s listener calls into {@link Handler} calls. */
    private static final class Relay implements WebSocket.Listener {
        private final Handler handler;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final StringBuilder text = new StringBuilder();

        Relay(Handler handler) {
            this.handler = handler;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            if (bytes.length > 0) {
                handler.binary(bytes);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                handler.text(message);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            if (ended.compareAndSet(false, true)) {
                handler.closed(statusCode, reason);
            }
            return null; // java.net.http answers the close with the same code
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            if (ended.compareAndSet(false, true)) {
                handler.failed(error);
            }
        }
    }
}
