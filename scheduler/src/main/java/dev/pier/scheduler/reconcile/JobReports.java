package dev.pier.scheduler.reconcile;

import dev.pier.api.JobReport;
import dev.pier.api.JobState;
import dev.pier.api.host.HostJob;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Remembers what was last reported to the controller for each job, so only changes are sent; forgets
 * jobs that are gone from the cluster. Pure bookkeeping: the reconciler does the sending.
 */
public final class JobReports {
    private record Reported(JobState state, String reason, String address, Integer restarts) {
    }

    private final Map<String, Reported> reported = new HashMap<>();

    /**
     * The report to send for {@code job} (with its restart count, null when unknown: the controller keeps its
     * own), or null when nothing changed.
     */
    public JobReport changeOf(HostJob job, Integer restarts, java.time.Instant backoffUntil) {
        Reported now = new Reported(job.state(), job.reason(), job.address(), restarts);
        if (Objects.equals(reported.get(job.id()), now)) {
            return null;
        }
        return new JobReport(job.releaseId(), job.processType(), job.hostId(), job.state(), job.reason(),
                job.exitStatus(), restarts, backoffUntil, job.address(), job.memoryMb());
    }

    /** Records that {@code job}'s report was accepted. */
    public void sent(HostJob job, Integer restarts) {
        reported.put(job.id(), new Reported(job.state(), job.reason(), job.address(), restarts));
    }

    /** Records a state the scheduler itself decided (pending before a start, crashed for a lost host). */
    public void sent(String jobId, JobState state, String reason) {
        reported.put(jobId, new Reported(state, reason, null, null));
    }

    /** The reason last sent for the job, or null. */
    public String lastReason(String jobId) {
        Reported last = reported.get(jobId);
        return last == null ? null : last.reason();
    }

    public JobState lastState(String jobId) {
        Reported last = reported.get(jobId);
        return last == null ? null : last.state();
    }

    /** Forgets jobs no host has any more. */
    public void retainOnly(Set<String> jobIds) {
        reported.keySet().retainAll(jobIds);
    }
}
