package dev.pier.api.blob;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Blob paths: which are valid (one rule, for the blobstore and for whoever names a blob), and where the services
 * that share the blobstore keep an app's blobs (one naming, used by each of them).
 */
public final class BlobPaths {
    public static final int MAX_LENGTH = 512;
    public static final int MAX_DEPTH = 16;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    /**
     * Why {@code path} is not an acceptable blob path, or empty when it is: relative, '/'-separated segments of
     * {@code [A-Za-z0-9._-]}, no empty, {@code .} or {@code ..} segment, no segment starting with '.', at most
     * {@value #MAX_LENGTH} characters and {@value #MAX_DEPTH} segments. Anything else (absolute paths, backslashes,
     * control characters, non-ASCII look-alikes, percent-escapes) is refused. The blobstore refuses such paths, and
     * the controller refuses artifacts that name one.
     */
    public static Optional<String> problem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("path is empty");
        }
        if (path.length() > MAX_LENGTH) {
            return Optional.of("path is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.of("path contains a control character");
            }
            if (c == '\\') {
                return Optional.of("path contains a backslash");
            }
            if (c > 0x7e) {
                return Optional.of("path contains a non-ASCII character");
            }
        }
        if (path.startsWith("/")) {
            return Optional.of("path must be relative, not start with '/'");
        }
        String[] segments = path.split("/", -1);
        if (segments.length > MAX_DEPTH) {
            return Optional.of("path has more than " + MAX_DEPTH + " segments");
        }
        for (String segment : segments) {
            if (segment.isEmpty()) {
                return Optional.of("path has an empty segment");
            }
            if (segment.equals("..") || segment.equals(".")) {
                return Optional.of("path has a '" + segment + "' segment");
            }
            if (!SEGMENT.matcher(segment).matches()) {
                return Optional.of("path segment '" + segment + "' must be 1-128 of [A-Za-z0-9._-], not starting with '.'");
            }
        }
        return Optional.empty();
    }

    private BlobPaths() {
    }

    /**
     * The app's build cache: named by the app's id as well as its name, so that an app created later under a
     * deleted app's name starts with no cache instead of the deleted one's.
     */
    public static String cache(String app, UUID appId) {
        return "caches/" + app + "/" + appId + ".tar.zst";
    }
}
