package dev.pier.api;

import java.util.Map;

/**
 * The slug builder's verdict, the JSON after {@link Build#RESULT_PREFIX} on the last line of its output:
 * on success the slug's sha256 and size, the process types (Procfile first, then the buildpack's defaults)
 * and the buildpack used; on failure {@code error}.
 */
public record BuildResult(String slugSha256, Long slugSize, Map<String, String> processTypes, String buildpack,
                          String error) {

    public BuildResult {
        processTypes = processTypes == null ? Map.of() : Map.copyOf(processTypes);
    }

    public boolean succeeded() {
        return error == null && slugSha256 != null;
    }
}
