package dev.pier.cli.command;

import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.controller.DeploymentWatch;
import dev.pier.cli.UserError;
import java.time.Duration;

/** How a deployment started by a command is reported, and waited for. */
final class Deploys {
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

    private Deploys() {
    }

    static String outcome(Deployment deployment) {
        if (deployment == null) {
            return " (nothing changed)";
        }
        return switch (deployment.status()) {
            case COMPLETE -> "";
            case FAILED -> "; the deployment FAILED: " + deployment.error();
            default -> "; deploying (deployment " + deployment.id() + ")";
        };
    }

    /**
     * Waits until the deployment finishes, printing its status as it changes; a failed one is an error
     * naming why (the previous release keeps running).
     */
    static void await(PierCommand command, Deployment deployment, Duration timeout) throws InterruptedException {
        if (deployment == null || deployment.status().isFinished()) {
            if (deployment != null && deployment.status() == DeploymentStatus.FAILED) {
                throw new UserError("deployment failed: " + deployment.error());
            }
            return;
        }
        Deployment last = DeploymentWatch.await(command.client(), deployment, timeout,
                now -> command.say("  " + (now.step() != null && !now.status().isFinished() ? now.step()
                        : "deployment " + now.status().wireName())));
        if (last.status() == DeploymentStatus.FAILED) {
            throw new UserError("deployment failed, the previous release keeps running: " + last.error());
        }
        if (last.status() != DeploymentStatus.COMPLETE) {
            throw new UserError("timed out after " + timeout.toSeconds() + " s waiting for deployment "
                    + deployment.id() + " (see 'pier deployment show " + deployment.id() + "')");
        }
    }
}
