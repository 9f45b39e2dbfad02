package dev.pier.hostagent.discovery;

import dev.pier.api.host.HostInfo;

/**
 * What the agent needs from service discovery: announce itself as {@code pier-host}, announce its web jobs
 * as {@code <app>-web} once up (and withdraw them before they stop). Leadership lives in the cluster package.
 */
public interface Discovery extends AutoCloseable {
    String HOST_SERVICE = "pier-host";

    void registerHost(HostInfo host);

    void registerJob(String service, String jobId, String address);

    void deregisterJob(String service, String jobId);

    @Override
    void close();

    /** No discoverd configured: nothing is announced. */
    Discovery NONE = new Discovery() {
        @Override
        public void registerHost(HostInfo host) {
        }

        @Override
        public void registerJob(String service, String jobId, String address) {
        }

        @Override
        public void deregisterJob(String service, String jobId) {
        }

        @Override
        public void close() {
        }
    };
}
