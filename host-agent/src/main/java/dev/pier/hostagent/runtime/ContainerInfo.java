package dev.pier.hostagent.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * What the runtime knows of one of its containers: identity labels, whether it runs, how it ended
 * ({@code exitCode}, {@code oomKilled}, {@code error} when it could not start) and its published port.
 */
public record ContainerInfo(
        String jobId,
        String containerId,
        String image,
        Status status,
        Integer exitCode,
        boolean oomKilled,
        String error,
        Instant startedAt,
        Instant finishedAt,
        Integer hostPort,
        Map<String, String> labels) {

    public enum Status {
        /** Created but never started (e.g. its command could not be executed). */
        CREATED,
        RUNNING,
        EXITED
    }

    public boolean isRunning() {
        return status == Status.RUNNING;
    }
}
