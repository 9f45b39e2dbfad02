package dev.pier.scheduler.reconcile;

import dev.pier.api.Artifact;
import dev.pier.api.Formation;
import dev.pier.api.JobReport;
import dev.pier.api.JobState;
import dev.pier.api.Release;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import dev.pier.api.Deployment;
import dev.pier.api.DeploymentUpdate;
import dev.pier.api.router.RouterAnswer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** The job as its host has it; empty when the host has no such job; throws when the host does not answer. */
    java.util.Optional<HostJob> hostJob(String hostUrl, String jobId);

    /** Removes an ended job from its host, with its container and logs. */
    void remove(String hostUrl, String jobId);

    /** The names of the apps that are not deleted. */
    java.util.Set<String> liveApps();

    /** Tells the controller about a job. */
    void report(String app, String jobId, JobReport report);

    /** The jobs the controller holds as pending, starting, up or stopping, every app. */
    List<dev.pier.api.Job> activeJobs();

    /** The state the controller has for a job, or null when it has none. */
    JobState reportedState(String app, String jobId);

    /** Pending and running deployments, oldest first. */
    List<Deployment> activeDeployments();

    Deployment updateDeployment(UUID id, DeploymentUpdate update);

    /** Sets a formation's counts. */
    void scale(String app, UUID releaseId, Map<String, Integer> processes);

    /** How long a deployment of the app may go without progress. */
    Duration deployTimeout(String app);

    /** The domains routed to the app's web service (its routes in the controller). */
    Set<String> domains(String app);

    /** What every router registered in discoverd routes to {@code service} now (or why one did not answer). */
    List<RouterAnswer> routing(String service);

    /** The last {@code lines} lines a job wrote, oldest first; empty when they cannot be read. */
    List<String> lastLines(String hostUrl, String jobId, int lines);
}
