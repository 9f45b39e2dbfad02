package dev.pier.hostagent.attach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.attach.AttachProtocol;
import dev.pier.hostagent.job.JobSupervisor;
import dev.pier.hostagent.runtime.ContainerRuntime;
import dev.pier.hostagent.runtime.ContainerRuntimeException;
import dev.pier.web.ApiProblem;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * {@code GET /jobs/{id}/attach} as a WebSocket: binary messages from the client are the job's stdin, binary
 * messages to it are the job's output (stdout and stderr; one stream with a TTY); a text message
 * {@code {"resize":{"columns":C,"rows":R}}} resizes the TTY, {@code {"eof":true}} closes the job's stdin (its input
 * ended). The socket closes (1000) when the job's output ends;
 * a job that cannot be attached closes it at once with {@link AttachProtocol}'s codes (4404 no such job, 4409 not
 * interactive, ended, or its command cannot run) and the reason. The first attach to an interactive job starts it.
 */
public class AttachHandler extends AbstractWebSocketHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AttachHandler.class);

    private final JobSupervisor supervisor;
    private final ObjectMapper json;
    private final Map<String, ContainerRuntime.Attachment> attachments = new ConcurrentHashMap<>();

    public AttachHandler(JobSupervisor supervisor, ObjectMapper json) {
        this.supervisor = supervisor;
        this.json = json;
    }

    static String jobId(URI uri) {
        String[] parts = uri.getPath().split("/");
        return parts.length >= 4 ? parts[parts.length - 2] : "";
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession raw) throws Exception {
        WebSocketSession session = new ConcurrentWebSocketSessionDecorator(raw, 10_000, 1024 * 1024);
        String id = jobId(raw.getUri());
        // The output may end before attach() returns (a quick job started by this attach): close once both happened.
        AtomicBoolean opened = new AtomicBoolean();
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            ended.set(true);
            if (opened.get()) {
                closeQuietly(session, CloseStatus.NORMAL.withReason("job output ended"));
            }
        };
        try {
            ContainerRuntime.Attachment attachment = supervisor.attach(id, bytes -> {
                try {
                    session.sendMessage(new BinaryMessage(bytes));
                } catch (IOException e) {
                    LOG.debug("event=attach.send-failed job={} reason={}", id, e.getMessage());
                }
            }, end);
            attachments.put(raw.getId(), attachment);
            opened.set(true);
            if (ended.get()) {
                closeQuietly(session, CloseStatus.NORMAL.withReason("job output ended"));
            }
            LOG.info("event=attach.opened host={} job={}", supervisor.hostId(), id);
        } catch (ApiProblem e) {
            closeQuietly(session, new CloseStatus(AttachProtocol.closeCode(e.status().value()),
                    AttachProtocol.reason(e.getMessage())));
        } catch (ContainerRuntimeException e) {
            closeQuietly(session, new CloseStatus(e.isBadRequest() ? AttachProtocol.CONFLICT : AttachProtocol.INTERNAL,
                    AttachProtocol.reason(e.getMessage())));
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        ContainerRuntime.Attachment attachment = attachments.get(session.getId());
        if (attachment != null) {
            ByteBuffer payload = message.getPayload();
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            write(session, attachment, bytes);
        }
    }

    /**
     * Stdin for a job that closed its input (or ended) is dropped, as a pipe whose reader left drops it: the client's
     * last keystrokes often race the job's exit, and the exit, not a failed write, is what it must get.
     */
    private static void write(WebSocketSession session, ContainerRuntime.Attachment attachment, byte[] bytes) {
        try {
            attachment.write(bytes);
        } catch (ContainerRuntimeException e) {
            LOG.debug("event=attach.stdin-dropped session={} reason=\"{}\"", session.getId(), e.getMessage());
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
        ContainerRuntime.Attachment attachment = attachments.get(session.getId());
        if (attachment == null) {
            return;
        }
        if (AttachProtocol.isEndOfInput(message.getPayload())) {
            attachment.endStdin();
            return;
        }
        JsonNode node = json.readTree(message.getPayload());
        JsonNode resize = node.get("resize");
        if (resize != null && resize.path("columns").canConvertToInt() && resize.path("rows").canConvertToInt()) {
            int columns = resize.path("columns").asInt();
            int rows = resize.path("rows").asInt();
            if (columns > 0 && rows > 0 && columns <= 1000 && rows <= 1000) {
                attachment.resize(columns, rows);
            }
        } else if (node.has("stdin")) {
            write(session, attachment, node.get("stdin").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        ContainerRuntime.Attachment attachment = attachments.remove(session.getId());
        if (attachment != null) {
            attachment.close();
        }
    }

    private static void closeQuietly(WebSocketSession session, CloseStatus status) {
        try {
            session.close(status);
        } catch (IOException e) {
            // Already closed.
        }
    }
}
