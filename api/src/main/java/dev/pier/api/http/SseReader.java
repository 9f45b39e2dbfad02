package dev.pier.api.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Parses a text/event-stream (the WHATWG format): {@code id:}, {@code event:}, {@code data:} fields,
 * blank-line dispatch, comment lines (starting with ':') reported as heartbeats.
 */
public final class SseReader {
    private final BufferedReader reader;

    public SseReader(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /**
     * Reads events until the stream ends, calling {@code onEvent} for each and {@code onHeartbeat} for
     * each comment line. Returns normally at end of stream; throws when reading fails.
     */
    public void readAll(Consumer<ServerSentEvent> onEvent, Runnable onHeartbeat) throws IOException {
        String id = null;
        String event = null;
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    onEvent.accept(new ServerSentEvent(id, event, data.toString()));
                }
                id = null;
                event = null;
                data = null;
                continue;
            }
            if (line.startsWith(":")) {
                onHeartbeat.run();
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                default -> {
                    // "retry" and unknown fields are ignored, as the spec says.
                }
            }
        }
    }
}
