package dev.pier.api.attach;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Pier's attach protocol over a WebSocket, as pure functions. A host agent's {@code GET /jobs/{id}/attach} and the
 * controller's {@code GET /apps/{app}/jobs/{id}/attach} both speak it:
 * <ul>
 *   <li>binary messages are raw bytes: the job's stdin (client to server) and its output (server to client);</li>
 *   <li>the text message {@code {"resize":{"columns":C,"rows":R}}} (client to server) resizes the job's TTY;</li>
 *   <li>the text message {@code {"eof":true}} (client to server) says the client's input ended: the job's stdin is
 *       closed, so a program reading it sees end of file ({@code echo data | pier run cat});</li>
 *   <li>the controller's last message is the text {@code {"exit_status":N,"state":S,"reason":R}} ({@link JobExit}),
 *       then it closes with 1000;</li>
 *   <li>a failure closes with 4000 + the HTTP status it would have been (4400 bad message, 4404 no such job,
 *       4409 the job cannot be attached to, 4503 its host cannot be reached) and a one-line reason.</li>
 * </ul>
 */
public final class AttachProtocol {
    public static final int NORMAL = 1000;
    public static final int BAD_MESSAGE = 4400;
    public static final int NOT_FOUND = 4404;
    public static final int CONFLICT = 4409;
    public static final int INTERNAL = 4500;
    public static final int UNAVAILABLE = 4503;
    /** The largest binary message a client should send (servers accept 8 KiB). */
    public static final int MAX_STDIN_CHUNK = 4096;
    /** A TTY is at most this many columns and rows. */
    public static final int MAX_TTY_SIZE = 1000;
    /** RFC 6455: a close reason is at most 123 bytes of UTF-8. */
    static final int MAX_REASON_BYTES = 123;

    private static final ObjectMapper JSON = Json.mapper();
    private static final String RESIZE_SHAPE = "a text message must be {\"resize\":{\"columns\":C,\"rows\":R}} with C and R "
            + "whole numbers from 1 to " + MAX_TTY_SIZE + ", or {\"eof\":true}";
    /** The text message that says the client's input ended. */
    public static final String END_OF_INPUT = "{\"eof\":true}";

    private AttachProtocol() {
    }

    /** A TTY size. */
    public record Resize(int columns, int rows) {
    }

    /** The close code for a failure that HTTP would answer with {@code httpStatus}. */
    public static int closeCode(int httpStatus) {
        return httpStatus >= 400 && httpStatus <= 599 ? 4000 + httpStatus : INTERNAL;
    }

    /**
     * The HTTP status a close code stands for: 4xxx codes carry it; 1000 is 200; a connection that broke (1006)
     * is 0, like an unreachable service; other WebSocket codes are errors of the server (500), or 413 (1009,
     * message too big) and 503 (1001, going away).
     */
    public static int httpStatus(int closeCode) {
        if (closeCode >= 4000 && closeCode <= 4999) {
            return closeCode - 4000;
        }
        return switch (closeCode) {
            case NORMAL -> 200;
            case 1001 -> 503;
            case 1006 -> 0;
            case 1009 -> 413;
            default -> 500;
        };
    }

    /** {@code text} on one line and cut to the 123 bytes a close reason may have. */
    public static String reason(String text) {
        String line = String.valueOf(text).replaceAll("[\\r\\n\\t]+", " ").strip();
        if (line.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return line;
        }
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        int limit = MAX_REASON_BYTES - 3; // room for the ellipsis
        for (int i = 0; i < line.length(); ) {
            int codePoint = line.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > limit) {
                break;
            }
            cut.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return cut.append('…').toString();
    }

    /** The text message that resizes the TTY. */
    public static String resizeMessage(int columns, int rows) {
        return "{\"resize\":{\"columns\":" + columns + ",\"rows\":" + rows + "}}";
    }

    /** Whether a client's text message is {@link #END_OF_INPUT}. */
    public static boolean isEndOfInput(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject() && node.size() == 1 && node.path("eof").isBoolean()
                    && node.path("eof").asBoolean();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /**
     * Reads a client's text message: a resize, else {@link IllegalArgumentException} with a message fit to be the
     * close reason.
     */
    public static Resize parseResize(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(RESIZE_SHAPE);
        }
        if (node == null || !node.isObject() || node.size() != 1 || !node.path("resize").isObject()) {
            throw new IllegalArgumentException(RESIZE_SHAPE);
        }
        JsonNode resize = node.get("resize");
        Iterator<Map.Entry<String, JsonNode>> fields = resize.fields();
        int columns = 0;
        int rows = 0;
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1
                    || value.asInt() > MAX_TTY_SIZE) {
                throw new IllegalArgumentException(RESIZE_SHAPE);
            }
            switch (field.getKey()) {
                case "columns" -> columns = value.asInt();
                case "rows" -> rows = value.asInt();
                default -> throw new IllegalArgumentException(RESIZE_SHAPE);
            }
        }
        if (columns == 0 || rows == 0) {
            throw new IllegalArgumentException(RESIZE_SHAPE);
        }
        return new Resize(columns, rows);
    }

    /** The controller's last message. */
    public static String exitMessage(JobExit exit) {
        try {
            return JSON.writeValueAsString(exit);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + exit, e);
        }
    }

    /** A server's text message read as the job's exit, when it is one. */
    public static Optional<JobExit> parseExit(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject() || !node.has("state")) {
                return Optional.empty();
            }
            return Optional.of(JSON.treeToValue(node, JobExit.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
