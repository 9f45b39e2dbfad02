package dev.pier.hostagent.runtime;

import java.time.Instant;

/** One line a container wrote, with the engine's timestamp and the stream it came from. */
public record LogLine(Instant timestamp, Stream stream, String text) {

    public enum Stream {
        STDOUT,
        STDERR
    }
}
