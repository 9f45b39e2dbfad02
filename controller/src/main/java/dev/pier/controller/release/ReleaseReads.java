package dev.pier.controller.release;

import java.util.List;

/** The hot read of the API, written against the EntityManager: see {@link ReleaseReadsImpl}. */
public interface ReleaseReads {
    /**
     * An app's releases by its name, newest first, at most {@code limit}, in one query: empty when the app has no
     * release or does not exist. The entities are read-only.
     */
    List<ReleaseEntity> findByLiveAppNameNewestFirst(String appName, int limit);
}
