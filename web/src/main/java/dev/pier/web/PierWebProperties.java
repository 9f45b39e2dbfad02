package dev.pier.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.web.*}: which paths need no cluster key, which may carry bodies over the limit, and
 * the limit. A path ending in {@code /**} matches everything below it.
 */
@ConfigurationProperties("pier.web")
public record PierWebProperties(
        @DefaultValue("/health") List<String> openPaths,
        @DefaultValue("") List<String> unlimitedBodyPaths,
        @DefaultValue("1048576") long maxBodyBytes) {

    public PierWebProperties {
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("pier.web.max-body-bytes must be positive, not " + maxBodyBytes);
        }
    }

    /** Whether {@code path} is one of {@code patterns}, or below one ending in {@code /**}. */
    public static boolean matches(List<String> patterns, String path) {
        for (String pattern : patterns) {
            if (pattern.isEmpty()) {
                continue;
            }
            if (pattern.endsWith("/**")) {
                String prefix = pattern.substring(0, pattern.length() - 3);
                if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                    return true;
                }
            } else if (pattern.equals(path)) {
                return true;
            }
        }
        return false;
    }
}
