package dev.pier.testkit;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine. Under CI ({@code CI=true}) a missing dependency fails the test;
 * on a developer's machine it is skipped with the reason, so a partial setup still runs the rest.
 */
public final class Requirements {
    private Requirements() {
    }

    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Fails (under CI) or skips (elsewhere) the current test when {@code present} is false. */
    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        String message = what + " is missing; .ci/run installs it (see README)";
        if (underCi()) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
    }
}
