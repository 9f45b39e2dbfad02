package dev.pier.hostagent.job;

import dev.pier.api.host.HostInfo;
import dev.pier.hostagent.discovery.Discovery;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Announces this host in discovery (as {@link Discovery#HOST_SERVICE}), and, while they are up, its web jobs (as
 * {@code <app>-web}) and its jobs published at a fixed host port (as {@code <app>-<type>}, meta {@code job_addr}:
 * the job address and port other jobs reach them at): a job that comes up is registered on the event thread (after
 * the change is published), and one that leaves up (stopping or crashed) is withdrawn at once, before anything else
 * happens to it, so routers stop sending it requests first.
 */
public final class JobAnnouncements {
    private final Discovery discovery;
    private final Executor events;

    public JobAnnouncements(Discovery discovery, Executor events) {
        this.discovery = discovery;
        this.events = events;
    }

    /** Announces this host, so the host leader follows it. */
    public void host(HostInfo host) {
        discovery.registerHost(host);
    }

    /** The discovery service a web job of {@code app} is announced in. */
    public static String webService(String app) {
        return app + "-web";
    }

    /** The discovery service a job is announced in: {@code <app>-web} for web jobs, else {@code <app>-<type>}. */
    public static String service(String app, String processType) {
        return "web".equals(processType) ? webService(app) : app + "-" + processType;
    }

    /** Acts on one move of the table (called while the table is held, so moves are seen in order). */
    public void moved(JobTable.Move move) {
        if (move.announces()) {
            String service = service(move.job().app(), move.job().processType());
            String id = move.jobId();
            String address = move.job().address();
            Map<String, String> meta = move.jobAddress() == null ? Map.of() : Map.of("job_addr", move.jobAddress());
            events.execute(() -> discovery.registerJob(service, id, address, meta));
        } else if (move.withdraws()) {
            discovery.deregisterJob(service(move.job().app(), move.job().processType()), move.jobId());
        }
    }
}
