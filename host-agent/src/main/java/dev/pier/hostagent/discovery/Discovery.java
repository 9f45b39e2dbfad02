package dev.pier.hostagent.discovery;

import dev.pier.api.host.HostInfo;
import java.io.Closeable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the agent needs from service discovery: announce itself as {@code pier-host}; announce its web jobs as
 * {@code <app>-web} once up (and withdraw them before they stop); list the live agents; and campaign for
 * {@code pier-host-leader}. Backed by discoverd in a cluster; {@link #NONE} when
 * no discoverd is configured (a lone agent that leads only itself).
 */
public interface Discovery extends AutoCloseable {
    String HOST_SERVICE = "pier-host";
    String LEADER_SERVICE = "pier-host-leader";

    /** A live host agent as discovery lists it. */
    record HostEntry(String id, String url) {
    }

    /** Called when this agent wins or loses the host leadership. */
    interface LeadershipListener {
        void elected();

        void deposed();
    }

    void registerHost(HostInfo host);

    void registerJob(String service, String jobId, String address);

    /** Announces a job with extra meta (e.g. {@code job_addr}); backends without meta drop it. */
    default void registerJob(String service, String jobId, String address, Map<String, String> meta) {
        registerJob(service, jobId, address);
    }

    void deregisterJob(String service, String jobId);

    /**
     * Whether some router still sends requests to the job (it has not yet seen the job leave {@code service});
     * empty when that cannot be known now (discovery or the routers cannot be asked).
     */
    Optional<Boolean> stillRouted(String service, String jobId);

    /** The host agents discovery lists as alive now (this one included when registered). */
    List<HostEntry> hosts();

    /**
     * Calls {@code left}, on a thread of the backend's, soon after a host leaves {@link #hosts} (its registration
     * lapsed or was withdrawn), so that a leader looks at once rather than at its next sync; until the returned
     * handle is closed. A backend that cannot tell never calls it (the default): the leader's sync alone notices.
     */
    default Closeable watchHosts(Runnable left) {
        return () -> {
        };
    }

    /** Campaigns for {@link #LEADER_SERVICE} until closed; the listener hears of each win and loss. */
    void campaign(HostInfo self, LeadershipListener listener);

    /** The current host leader, when one is known. */
    Optional<HostEntry> leader();

    /** Withdraws everything this agent announced and stops campaigning. */
    @Override
    void close();

    /** No discoverd configured: nothing is announced, and the agent leads a cluster of itself. */
    Discovery NONE = new Discovery() {
        private volatile HostEntry self;

        @Override
        public void registerHost(HostInfo host) {
            self = new HostEntry(host.id(), host.url());
        }

        @Override
        public void registerJob(String service, String jobId, String address) {
        }

        @Override
        public void deregisterJob(String service, String jobId) {
        }

        @Override
        public Optional<Boolean> stillRouted(String service, String jobId) {
            return Optional.of(false); // nothing was announced, so no router found the job
        }

        @Override
        public List<HostEntry> hosts() {
            return self == null ? List.of() : List.of(self);
        }

        @Override
        public void campaign(HostInfo host, LeadershipListener listener) {
            self = new HostEntry(host.id(), host.url());
            listener.elected();
        }

        @Override
        public Optional<HostEntry> leader() {
            return Optional.ofNullable(self);
        }

        @Override
        public void close() {
        }
    };
}
