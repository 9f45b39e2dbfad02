package dev.pier.addon.postgres.server;

import java.util.Optional;

/** The system app that runs the server, as {@link ManagedServer} drives it ({@link SystemApp} on the controller). */
public interface ServerApp {
    /** The app's name. */
    String app();

    /** One step towards the wanted state; what the provider waits for (words after "waiting for"), or empty. */
    Optional<String> step();

    /** The server's job, in words after "waiting for". */
    String describeJob();
}
