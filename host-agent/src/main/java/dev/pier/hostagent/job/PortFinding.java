package dev.pier.hostagent.job;

/**
 * What one look at a job's port found: it serves, or, in words that can end a crash reason, why not ("nothing in
 * its container listens on port 8080", "a connection to 10.0.0.2:20001 failed (Connection refused)").
 */
public record PortFinding(boolean serves, String why) {
    public static final PortFinding SERVES = new PortFinding(true, null);

    public static PortFinding not(String why) {
        return new PortFinding(false, why);
    }
}
