package dev.pier.scheduler.reconcile;

import dev.pier.api.Artifact;
import dev.pier.api.Formation;
import dev.pier.api.JobReport;
import dev.pier.api.Release;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import java.util.List;
import java.util.UUID;

/** Everything the reconciler reads and does in the world, so its logic can run against fakes or the real cluster. */
public interface ClusterPort {
    /** The host leader's view of the cluster. */
    ClusterView cluster();

    /** Every formation of every live app. */
    List<Formation> formations();

    /** A release (immutable: may be cached). */
    Release release(String app, UUID releaseId);

    /** An artifact (immutable: may be cached); null when the release has none. */
    Artifact artifact(UUID artifactId);

    HostJob start(String hostUrl, JobSpec spec);

    void stop(String hostUrl, String jobId);

    /** Tells the controller about a job. */
    void report(String app, String jobId, JobReport report);
}
