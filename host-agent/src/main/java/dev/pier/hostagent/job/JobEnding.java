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

    /** The exit status of a process ended by SIGKILL, which is what the kernel's OOM killer sends. */
    static final int KILLED = 137;

    /**
     * Whether a container that exited this way may yet be reported out of memory: killed by SIGKILL, not by a stop
     * that was asked for, and not (yet) flagged by the engine. The engine learns of an OOM kill and of the exit by
     * two separate notices, and under load it can report the exit first (seen in CI: "exited with status 137" for a
     * job that had run out of memory); such an ending deserves a second look a moment later.
     */
    public static boolean mayYetTurnOutOutOfMemory(ContainerInfo info, boolean stopRequested) {
        return !stopRequested && !info.oomKilled() && info.status() == ContainerInfo.Status.EXITED
                && Integer.valueOf(KILLED).equals(info.exitCode());
    }
}
