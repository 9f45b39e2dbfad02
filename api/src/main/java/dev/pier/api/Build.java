package dev.pier.api;

import java.time.Instant;

/**
 * A build under way: the slug builder runs as the one-off job {@code jobId} (process type {@code build}).
 * Its output is the job's log, whose last line is the builder's {@code PIER-RESULT} JSON. On success the
 * slug is at {@code slugUri}: that is the URI to give the slug artifact.
 */
public record Build(String app, String jobId, String hostId, String source, String commit, String slugUri,
                    Instant createdAt) {

    /** The prefix of the builder's machine-readable last line. */
    public static final String RESULT_PREFIX = "PIER-RESULT ";
}
