package dev.pier.api;

import java.time.Instant;

/** One line of an app's log ({@code GET /apps/{app}/log}, one JSON object per line). */
public record LogLine(Instant timestamp, String app, String processType, String jobId, String stream, String text) {
}
