package dev.pier.hostagent;

/** Placeholder until the host-agent service is built (see its issue); keeps the reactor building. */
public final class HostAgentApplication {
    private HostAgentApplication() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("the host-agent service is not built yet");
    }
}
