package dev.pier.hostagent.job;

import dev.pier.hostagent.discovery.Discovery;
import java.util.concurrent.Executor;

/**
 * Announces this host's web jobs in discovery, as {@code <app>-web}, while they are up: a job that comes up is
 * registered on the event thread (after the change is published), and one that leaves up (stopping or crashed)
 * is withdrawn at once, before anything else happens to it, so routers stop sending it requests first.
 */
public final class JobAnnouncements {
    private final Discovery discovery;
    private final Executor events;

    public JobAnnouncements(Discovery discovery, Executor events) {
        this.discovery = discovery;
        this.events = events;
    }

    /** The discovery service a web job of {@code app} is announced in. */
    public static String webService(String app) {
        return app + "-web";
    }

    /** Acts on one move of the table (called while the table is held, so moves are seen in order). */
    public void moved(JobTable.Move move) {
        if (move.announces()) {
            String service = webService(move.job().app());
            String id = move.jobId();
            String address = move.job().address();
            events.execute(() -> discovery.registerJob(service, id, address));
        } else if (move.withdraws()) {
            discovery.deregisterJob(webService(move.job().app()), move.jobId());
        }
    }
}
