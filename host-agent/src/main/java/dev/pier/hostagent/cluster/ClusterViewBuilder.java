package dev.pier.hostagent.cluster;

import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host leader's cluster view, built from what the agents' event streams say: each host's description and
 * its jobs' latest states. A host that discovery no longer lists is kept, marked lost, with its last known jobs.
 * Pure: no I/O, time passed in.
 */
public final class ClusterViewBuilder {
    private static final class HostState {
        String url;
        boolean lost;
        long totalMemoryMb;
        long allocatedMemoryMb;
        Instant lastSeen;
        final Map<String, HostJob> jobs = new LinkedHashMap<>();
    }

    private final Map<String, HostState> hosts = new TreeMap<>();

    private HostState state(String hostId) {
        return hosts.computeIfAbsent(hostId, id -> new HostState());
    }

    /**
     * Starts from the previous leader's view (a standby's last copy), so hosts that died with the old leader
     * are still known, and marked lost, with their last jobs.
     */
    public synchronized void seed(ClusterView previous) {
        for (ClusterView.Host host : previous.hosts()) {
            HostState state = state(host.id());
            state.url = host.url();
            state.lost = host.lost();
            state.totalMemoryMb = host.totalMemoryMb();
            state.allocatedMemoryMb = host.allocatedMemoryMb();
            state.lastSeen = host.lastSeen();
            state.jobs.clear();
            host.jobs().forEach(job -> state.jobs.put(job.id(), job));
        }
    }

    /** A (re)connected stream: the host is present and its jobs are about to be sent afresh. */
    public synchronized void connected(String hostId, String url, Instant at) {
        HostState state = state(hostId);
        state.url = url;
        state.lost = false;
        state.lastSeen = at;
        state.jobs.clear();
    }

    public synchronized void host(HostInfo info, Instant at) {
        HostState state = state(info.id());
        state.url = info.url();
        state.totalMemoryMb = info.totalMemoryMb();
        state.allocatedMemoryMb = info.allocatedMemoryMb();
        state.lastSeen = at;
    }

    public synchronized void job(String hostId, HostJob job, Instant at) {
        HostState state = state(hostId);
        HostJob known = state.jobs.get(job.id());
        if (known == null || known.state().canMoveTo(job.state())) {
            state.jobs.put(job.id(), job);
        }
        state.lastSeen = at;
    }

    public synchronized void removed(String hostId, String jobId, Instant at) {
        HostState state = state(hostId);
        state.jobs.remove(jobId);
        state.lastSeen = at;
    }

    /** Discovery no longer lists the host: its agent is gone. */
    public synchronized void lost(String hostId) {
        HostState state = hosts.get(hostId);
        if (state != null) {
            state.lost = true;
        }
    }

    public synchronized List<String> hostIds() {
        return new ArrayList<>(hosts.keySet());
    }

    public synchronized boolean isLost(String hostId) {
        HostState state = hosts.get(hostId);
        return state != null && state.lost;
    }

    public synchronized ClusterView view(String leaderId, Instant at) {
        List<ClusterView.Host> list = new ArrayList<>();
        hosts.forEach((id, state) -> list.add(new ClusterView.Host(id, state.url, state.lost, state.totalMemoryMb,
                state.allocatedMemoryMb, state.lastSeen, List.copyOf(state.jobs.values()))));
        return new ClusterView(leaderId, at, list);
    }
}
