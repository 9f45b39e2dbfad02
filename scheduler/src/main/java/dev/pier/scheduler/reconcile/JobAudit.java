package dev.pier.scheduler.reconcile;

import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The host leader's view held against the controller's job list, which is the record of what ended: pure
 * decisions, no I/O. The controller holds every job from before its start (the scheduler reports it
 * {@code pending} first), so a job a live host runs that the controller holds as ended is a phantom (its end
 * was decided while its host could not be asked, e.g. the host was lost and came back): it is stopped, never
 * counted. An ended job whose end the controller knows is removed with its container once its app is deleted,
 * or once it has been ended for the retention period (its logs stay readable until then).
 */
public final class JobAudit {
    private JobAudit() {
    }

    /** An ended job to remove from its host, and why. */
    public record Removal(String hostId, String jobId, String app, String reason) {
    }

    /** Whether a job of the view belongs to a formation (one-off jobs and builds carry no release id). */
    static boolean isFormationJob(HostJob job) {
        return job.app() != null && job.processType() != null && job.releaseId() != null;
    }

    /**
     * Jobs live hosts run as pending, starting or up that the controller ({@code held}: the ids it holds as not
     * ended) holds as ended.
     */
    public static Set<String> phantoms(ClusterView view, Set<String> held) {
        Set<String> phantoms = new java.util.TreeSet<>();
        for (ClusterView.Host host : view.hosts()) {
            if (host.lost()) {
                continue;
            }
            for (HostJob job : host.jobs()) {
                if (isFormationJob(job) && job.state().isActive() && !held.contains(job.id())) {
                    phantoms.add(job.id());
                }
            }
        }
        return phantoms;
    }

    /**
     * Ended jobs of live hosts to remove: those the controller knows ended (not in {@code held}) of an app no
     * longer live (deleted) at once, the others once ended for {@code retention}.
     */
    public static List<Removal> removals(ClusterView view, Set<String> held, Set<String> liveApps, Instant now,
                                         Duration retention) {
        List<Removal> removals = new ArrayList<>();
        for (ClusterView.Host host : view.hosts()) {
            if (host.lost()) {
                continue;
            }
            for (HostJob job : host.jobs()) {
                if (job.app() == null || !job.state().isTerminal() || held.contains(job.id())) {
                    continue;
                }
                if (!liveApps.contains(job.app())) {
                    removals.add(new Removal(host.id(), job.id(), job.app(), "app deleted"));
                } else if (job.updatedAt() != null && !job.updatedAt().plus(retention).isAfter(now)) {
                    removals.add(new Removal(host.id(), job.id(), job.app(), "ended more than "
                            + retention.toMinutes() + " min ago"));
                }
            }
        }
        return removals;
    }
}
