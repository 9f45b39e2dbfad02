package dev.pier.hostagent.job;

import dev.pier.api.JobState;
import dev.pier.api.OutOfMemory;
import dev.pier.hostagent.runtime.ContainerInfo;

/** How an exited container ends its job: state, reason and exit status. Pure. */
public record JobEnding(JobState state, String reason, Integer exitStatus) {

    /**
     * A stop that was asked for ends {@code down} whatever the exit code (SIGKILL after the grace period
     * included); otherwise out of memory or a non-zero exit is {@code crashed}, a clean exit {@code down}, and a
     * container that never ran {@code failed}.
     */
    public static JobEnding of(ContainerInfo info, boolean stopRequested, Integer memoryMb) {
        Integer exit = info.exitCode();
        if (info.status() == ContainerInfo.Status.CREATED) {
            return new JobEnding(JobState.FAILED, info.error() != null ? info.error() : "the container never started",
                    null);
        }
        if (stopRequested) {
            return new JobEnding(JobState.DOWN, "stopped", exit);
        }
        if (info.oomKilled()) {
            return new JobEnding(JobState.CRASHED, OutOfMemory.reason(memoryMb), exit);
        }
        if (exit != null && exit != 0) {
            return new JobEnding(JobState.CRASHED, "exited with status " + exit, exit);
        }
        return new JobEnding(JobState.DOWN, "exited with status 0", exit);
    }
}
