package dev.pier.hostagent.cluster;

import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.HostVolume;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The host leader's cluster view, built from what the agents' event streams say: each host's description and
 * its jobs' latest states. A host's jobs are only ever replaced by a complete snapshot from that host (its
 * stream's {@code synced}): a stream that (re)opens keeps the jobs last known until the host has sent them all
 * again, so no job goes missing from the view because a stream was being rebuilt. A host that discovery no
 * longer lists is declared lost only after one lease period (the time its agent has to register again after
 * an outage of discovery or etcd), or at once when its machine does not answer at all (nothing there can
 * register again); it is kept, marked lost, with its last known jobs and volumes (a job that needs
 * one of them waits for the host). Until every host it knows
 * has sent its snapshot the view is {@link #gathering} and not to be acted on. Pure: no I/O, time passed in.
 */
public final class ClusterViewBuilder {
    private static final class HostState {
        String url;
        boolean lost;
        long totalMemoryMb;
        long allocatedMemoryMb;
        Instant lastSeen;
        List<HostVolume> volumes = List.of();
        final Map<String, HostJob> jobs = new LinkedHashMap<>();
        /** The snapshot being received from a (re)opened stream, until its {@code synced}. */
        Map<String, HostJob> incoming;
        /** Whether this host's stream delivered a complete snapshot to this view. */
        boolean synced;
        /** Since when discovery no longer lists the host (null while listed). */
        Instant missingSince;
    }

    private final Map<String, HostState> hosts = new TreeMap<>();
    private final Instant leadingSince;

    /** A view of a leadership that began at {@code leadingSince}. */
    public ClusterViewBuilder(Instant leadingSince) {
        this.leadingSince = leadingSince;
    }

    private HostState state(String hostId) {
        return hosts.computeIfAbsent(hostId, id -> new HostState());
    }

    /**
     * Starts from the previous leader's view (a standby's last copy), so hosts that died with the old leader
     * are still known, and marked lost, with their last jobs. Each host's jobs stand until its own snapshot.
     */
    public synchronized void seed(ClusterView previous) {
        for (ClusterView.Host host : previous.hosts()) {
            HostState state = state(host.id());
            state.url = host.url();
            state.lost = host.lost();
            state.totalMemoryMb = host.totalMemoryMb();
            state.allocatedMemoryMb = host.allocatedMemoryMb();
            state.lastSeen = host.lastSeen();
            state.volumes = host.volumes();
            state.jobs.clear();
            host.jobs().forEach(job -> state.jobs.put(job.id(), job));
        }
    }

    /** A (re)opened stream: the host is present and about to send every job afresh, then {@code synced}. */
    public synchronized void connected(String hostId, String url, Instant at) {
        HostState state = state(hostId);
        state.url = url;
        state.lost = false;
        state.missingSince = null;
        state.lastSeen = at;
        state.incoming = new LinkedHashMap<>();
    }

    public synchronized void host(HostInfo info, Instant at) {
        HostState state = state(info.id());
        state.url = info.url();
        state.totalMemoryMb = info.totalMemoryMb();
        state.allocatedMemoryMb = info.allocatedMemoryMb();
        state.volumes = info.volumes();
        state.lastSeen = at;
    }

    public synchronized void job(String hostId, HostJob job, Instant at) {
        HostState state = state(hostId);
        if (state.incoming != null) {
            state.incoming.put(job.id(), job);
        } else {
            HostJob known = state.jobs.get(job.id());
            if (known == null || known.state().canMoveTo(job.state())) {
                state.jobs.put(job.id(), job);
            }
        }
        state.lastSeen = at;
    }

    /** The host sent its whole snapshot: its jobs are now exactly those it sent (and changed since). */
    public synchronized void synced(String hostId, Instant at) {
        HostState state = state(hostId);
        if (state.incoming != null) {
            state.jobs.clear();
            state.jobs.putAll(state.incoming);
            state.incoming = null;
        }
        state.synced = true;
        state.lastSeen = at;
    }

    public synchronized void removed(String hostId, String jobId, Instant at) {
        HostState state = state(hostId);
        state.jobs.remove(jobId);
        if (state.incoming != null) {
            state.incoming.remove(jobId);
        }
        state.lastSeen = at;
    }

    /**
     * What discovery lists now (host id to URL): hosts it lists are present (a new one is known from now on, and
     * awaited until its snapshot); the others are missing from now on (if not already) and become
     * {@link #toDeclareLost lost} once missing for a lease period.
     */
    public synchronized void listed(Map<String, String> listed, Instant now) {
        listed.forEach((id, url) -> {
            HostState state = state(id);
            if (state.url == null) {
                state.url = url;
            }
        });
        hosts.forEach((id, state) -> {
            if (listed.containsKey(id)) {
                state.missingSince = null;
            } else if (state.missingSince == null) {
                state.missingSince = now;
            }
        });
    }

    /**
     * Hosts discovery has not listed for at least {@code lease} (so neither since this leadership began): their
     * agents did not register again within a lease period, so they are gone. Not yet marked lost.
     */
    public synchronized List<String> toDeclareLost(Instant now, Duration lease) {
        return toDeclareLost(now, lease, Set.of());
    }

    /**
     * As {@link #toDeclareLost(Instant, Duration)}, and also the hosts discovery no longer lists whose machines do
     * not answer at all ({@code unreachable}: a connection to the agent got no answer and no refusal): their lease
     * has lapsed and nothing is there to register again, so they are lost now, not a lease later. A host whose
     * machine answers (its agent accepts connections but is slow, or refuses them while it restarts), or that
     * discovery still lists, keeps the whole lease: an agent that registers again within it is never lost.
     */
    public synchronized List<String> toDeclareLost(Instant now, Duration lease, Set<String> unreachable) {
        List<String> lost = new ArrayList<>();
        hosts.forEach((id, state) -> {
            if (!state.lost && state.missingSince != null
                    && (unreachable.contains(id) || Duration.between(state.missingSince, now).compareTo(lease) >= 0)) {
                lost.add(id);
            }
        });
        return lost;
    }

    /** The hosts discovery does not list now that are not yet lost, with their last known URL (null if none). */
    public synchronized Map<String, String> missing() {
        Map<String, String> missing = new TreeMap<>();
        hosts.forEach((id, state) -> {
            if (!state.lost && state.missingSince != null) {
                missing.put(id, state.url);
            }
        });
        return missing;
    }

    /** The host's agent is gone: kept, marked lost, with its last known jobs. */
    public synchronized void lost(String hostId) {
        HostState state = hosts.get(hostId);
        if (state != null) {
            state.lost = true;
            state.incoming = null;
        }
    }

    public synchronized List<String> hostIds() {
        return new ArrayList<>(hosts.keySet());
    }

    public synchronized boolean isLost(String hostId) {
        HostState state = hosts.get(hostId);
        return state != null && state.lost;
    }

    /**
     * The hosts this view still waits for, when it is not yet to be acted on: hosts known and not lost that have
     * not sent their snapshot since this leadership began. Empty once every one has, or once {@code patience}
     * has passed since the leadership began (a host listed in discovery that cannot be reached then keeps its
     * last known jobs).
     */
    public synchronized List<String> gathering(Instant now, Duration patience) {
        if (Duration.between(leadingSince, now).compareTo(patience) >= 0) {
            return List.of();
        }
        List<String> waiting = new ArrayList<>();
        hosts.forEach((id, state) -> {
            if (!state.lost && !state.synced) {
                waiting.add(id);
            }
        });
        return waiting;
    }

    /** The view: every host heard from (or seeded), with its jobs; a host only listed so far is not in it yet. */
    public synchronized ClusterView view(String leaderId, Instant at) {
        List<ClusterView.Host> list = new ArrayList<>();
        hosts.forEach((id, state) -> {
            if (state.lastSeen != null) {
                list.add(new ClusterView.Host(id, state.url, state.lost, state.totalMemoryMb, state.allocatedMemoryMb,
                        state.lastSeen, List.copyOf(state.jobs.values()), state.volumes));
            }
        });
        return new ClusterView(leaderId, at, list);
    }
}
