package dev.pier.api.host;

import java.time.Instant;

/** One line of a job's output ({@code GET /jobs/{id}/logs}, one JSON object per line); stream is stdout or stderr. */
public record LogEntry(String jobId, String stream, Instant timestamp, String text) {
}
