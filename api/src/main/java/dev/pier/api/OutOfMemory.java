package dev.pier.api;

/**
 * How a job that the kernel killed for memory is said, in one place for every service: its state's reason (the host
 * agent writes it), what the controller recognises for its {@code job_out_of_memory} event and its log line, and
 * what {@code pier ps} shows.
 */
public final class OutOfMemory {
    private static final String PREFIX = "out of memory";

    private OutOfMemory() {
    }

    /** The reason of a job killed for memory: {@code out of memory: over its 256 MB limit}. */
    public static String reason(Integer limitMb) {
        return limitMb == null ? PREFIX + ": killed by the kernel" : PREFIX + ": over its " + limitMb + " MB limit";
    }

    /** Whether a job's reason says it was killed for memory. */
    public static boolean is(String reason) {
        return reason != null && reason.startsWith(PREFIX);
    }
}
