package dev.pier.discoverd;

/** Placeholder until the discoverd service is built (see its issue); keeps the reactor building. */
public final class DiscoverdApplication {
    private DiscoverdApplication() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("the discoverd service is not built yet");
    }
}
