package dev.pier.controller.run;

import dev.pier.api.attach.AttachProtocol;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * {@code GET /apps/{app}/jobs/{id}/attach} as a WebSocket ({@link AttachProtocol}): each connection is an
 * {@link AttachRelay} to the job's host agent. The cluster key is checked on the upgrade request like on any
 * other (a wrong one is a 401 problem, no socket).
 */
public class AttachEndpoint extends AbstractWebSocketHandler {
    static final String PATH = "/apps/*/jobs/*/attach";

    /** The app and job an attach path names. */
    record Target(String app, String jobId) {
    }

    private final AttachRelay.Cluster cluster;
    private final ExecutorService executor;
    private final Map<String, AttachRelay> relays = new ConcurrentHashMap<>();

    public AttachEndpoint(AttachRelay.Cluster cluster, ExecutorService executor) {
        this.cluster = cluster;
        this.executor = executor;
    }

    /** Reads {@code /apps/{app}/jobs/{id}/attach}; empty for any other path. */
    static Optional<Target> target(URI uri) {
        String path = uri == null ? null : uri.getRawPath();
        if (path == null) {
            return Optional.empty();
        }
        String[] parts = path.split("/", -1);
        if (parts.length != 6 || !parts[0].isEmpty() || !"apps".equals(parts[1]) || !"jobs".equals(parts[3])
                || !"attach".equals(parts[5]) || parts[2].isEmpty() || parts[4].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Target(URLDecoder.decode(parts[2], StandardCharsets.UTF_8),
                URLDecoder.decode(parts[4], StandardCharsets.UTF_8)));
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws Exception {
        Optional<Target> target = target(session.getUri());
        if (target.isEmpty()) {
            session.close(new CloseStatus(AttachProtocol.NOT_FOUND, "use /apps/{app}/jobs/{id}/attach"));
            return;
        }
        AttachRelay relay = new AttachRelay(session, target.get().app(), target.get().jobId(), cluster, executor);
        relays.put(session.getId(), relay);
        relay.open();
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        AttachRelay relay = relays.get(session.getId());
        if (relay != null) {
            ByteBuffer payload = message.getPayload();
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            relay.stdin(bytes);
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        AttachRelay relay = relays.get(session.getId());
        if (relay != null) {
            relay.text(message.getPayload());
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        AttachRelay relay = relays.remove(session.getId());
        if (relay != null) {
            relay.clientClosed(status);
        }
    }
}
