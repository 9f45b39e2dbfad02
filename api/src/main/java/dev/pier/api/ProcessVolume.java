package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * A volume that every job of a process type gets for its slot: mounted at {@code path} (absolute, inside the
 * container), kept across restarts and deploys on the host that holds it. {@code sizeMb} is a hint only: recorded
 * and shown, not enforced.
 */
public record ProcessVolume(@JsonProperty(required = true) String path, Integer sizeMb) {
    /** At most this many volumes per process type. */
    public static final int MAX_PER_TYPE = 8;
    /** The largest size hint accepted (1 TiB). */
    public static final int MAX_SIZE_MB = 1024 * 1024;

    /** What is wrong with a mount path, if anything: absolute, no {@code ..}, no NUL, at most 255 characters. */
    public static Optional<String> problemWithPath(String path) {
        if (path == null || !path.startsWith("/") || path.length() > 255 || path.indexOf('\0') >= 0
                || path.equals("/") || java.util.Arrays.asList(path.split("/")).contains("..")) {
            return Optional.of("volume path '" + Names.printable(String.valueOf(path)) + "' must be an absolute path "
                    + "other than /, without '..', of at most 255 characters");
        }
        return Optional.empty();
    }

    /** What is wrong with this volume, if anything (the path, then the size hint). */
    public Optional<String> problem() {
        Optional<String> bad = problemWithPath(path);
        if (bad.isPresent()) {
            return bad;
        }
        if (sizeMb != null && (sizeMb < 1 || sizeMb > MAX_SIZE_MB)) {
            return Optional.of("volume size_mb must be between 1 and " + MAX_SIZE_MB + ", not " + sizeMb);
        }
        return Optional.empty();
    }
}
