package dev.pier.addon.kit;

import java.util.Optional;

/** The system app that runs the server, as {@link ManagedServer} drives it ({@link SystemApp} on the controller). */
public interface ServerApp {
    /** The app's name. */
    String app();

    /** The process type of the server's job. */
    String type();

    /** One step towards the wanted state; what the provider waits for (words after "waiting for"), or empty. */
    Optional<String> step();

    /** The server's job, in words after "waiting for". */
    String describeJob();
}
