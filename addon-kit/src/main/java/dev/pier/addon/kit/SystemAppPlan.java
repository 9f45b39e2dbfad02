package dev.pier.addon.kit;

import java.util.UUID;

/**
 * What to do next to bring the system app that runs a provider's server to the wanted release with one job,
 * decided from what the controller shows (pure; {@link SystemApp} observes and acts). The server keeps its data
 * on a volume, so two of its jobs must never run at once: a change of release first scales the old one to 0,
 * waits for its job to be gone, then deploys the new release (with no job) and scales it to 1.
 */
public final class SystemAppPlan {
    private SystemAppPlan() {
    }

    /**
     * What the controller shows.
     *
     * @param appExists         whether the app exists
     * @param currentRelease    the app's current release, or null
     * @param currentIsWanted   whether the current release carries the wanted recipe
     * @param wantedRelease     a release of the app carrying the wanted recipe (current or not), or null
     * @param deploymentActive  whether a deployment of the app is pending or running
     * @param currentCount      the current release's count of the server's process type (0 when none)
     * @param activeServerJobs  the app's jobs of the server's type that are not over yet
     */
    public record Observed(boolean appExists, UUID currentRelease, boolean currentIsWanted, UUID wantedRelease,
                           boolean deploymentActive, int currentCount, int activeServerJobs) {
    }

    public enum Action {
        CREATE_APP, STOP_OLD_JOB, WAIT_FOR_OLD_JOB, CREATE_RELEASE, DEPLOY, WAIT_FOR_DEPLOYMENT, SCALE_TO_ONE, DONE
    }

    public static Action next(Observed o) {
        if (!o.appExists()) {
            return Action.CREATE_APP;
        }
        if (o.deploymentActive()) {
            return Action.WAIT_FOR_DEPLOYMENT;
        }
        if (o.currentIsWanted()) {
            return o.currentCount() == 1 ? Action.DONE : Action.SCALE_TO_ONE;
        }
        if (o.currentRelease() != null && o.currentCount() > 0) {
            return Action.STOP_OLD_JOB;
        }
        if (o.activeServerJobs() > 0) {
            return Action.WAIT_FOR_OLD_JOB;
        }
        return o.wantedRelease() == null ? Action.CREATE_RELEASE : Action.DEPLOY;
    }
}
