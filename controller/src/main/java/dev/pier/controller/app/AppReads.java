package dev.pier.controller.app;

import java.util.Optional;

/** The app look-up that nearly every request makes, written against the EntityManager: see {@link AppReadsImpl}. */
public interface AppReads {
    /** The app of this name, unless it was deleted. */
    Optional<AppEntity> findLive(String name);
}
