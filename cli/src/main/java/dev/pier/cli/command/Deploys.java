package dev.pier.cli.command;

import dev.pier.api.Deployment;

/** How a deployment started by a command is reported. */
final class Deploys {
    private Deploys() {
    }

    static String outcome(Deployment deployment) {
        if (deployment == null) {
            return " (nothing changed)";
        }
        return switch (deployment.status()) {
            case COMPLETE -> "";
            case FAILED -> "; the deployment FAILED: " + deployment.error();
            default -> "; deploying (deployment " + deployment.id() + ", see 'pier deployment show')";
        };
    }
}
