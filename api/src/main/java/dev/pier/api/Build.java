package dev.pier.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A build of an app's source into a slug, owned by the controller ({@code POST /apps/{app}/builds}): the slug
 * builder runs as the one-off job {@code jobId} (process type {@code build}) on {@code hostId}; on success the
 * controller makes the artifact, the release (the app's config vars then, the build's process types) and its
 * deployment itself, and names them here. Its output is {@code GET /apps/{app}/builds/{id}/log}.
 *
 * @param processTypes the process types the build found (Procfile first, then the buildpack's defaults)
 * @param buildpack    the buildpack that built it
 * @param error        why a failed build failed
 */
public record Build(
        UUID id,
        String app,
        BuildState state,
        String source,
        String commit,
        String description,
        String jobId,
        String hostId,
        String buildpack,
        Map<String, String> processTypes,
        String error,
        UUID artifactId,
        UUID releaseId,
        Integer releaseVersion,
        UUID deploymentId,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    /** The prefix of the slug builder's machine-readable last line. */
    public static final String RESULT_PREFIX = "PIER-RESULT ";

    public Build {
        processTypes = processTypes == null ? Map.of() : Map.copyOf(processTypes);
    }
}
