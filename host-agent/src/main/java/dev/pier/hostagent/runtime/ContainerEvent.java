package dev.pier.hostagent.runtime;

import java.time.Instant;

/** Something that happened to one of the runtime's containers; listeners inspect it for details. */
public record ContainerEvent(String jobId, Kind kind, Instant at) {

    public enum Kind {
        STARTED,
        EXITED,
        OUT_OF_MEMORY,
        REMOVED,
        /** The event stream was (re)connected: listeners should re-list, as events may have been missed. */
        RESYNC
    }
}
