package dev.pier.api.host;

import dev.pier.api.JobState;

/**
 * One change of the host leader's cluster view, as {@code GET /cluster/events} streams it: a job of a host moved
 * to {@code state} ({@code jobId} set), or a host joined, changed or was lost ({@code jobId} null,
 * {@code hostLost} saying which). A signal to read {@code GET /cluster} again, not a copy of the view.
 */
public record ClusterChange(String hostId, String jobId, JobState state, boolean hostLost) {

    public static ClusterChange ofJob(String hostId, HostJob job) {
        return new ClusterChange(hostId, job.id(), job.state(), false);
    }

    public static ClusterChange ofHost(String hostId, boolean lost) {
        return new ClusterChange(hostId, null, null, lost);
    }

    /**
     * Whether a scheduler has something to do about it: a job came up or ended (a deploy moves on, a crash is
     * restarted), or a host was lost. Starting and stopping jobs, and hosts' allocation updates, are not.
     */
    public boolean needsScheduling() {
        if (hostLost) {
            return true;
        }
        return state != null && (state == JobState.UP || state.isTerminal());
    }
}
