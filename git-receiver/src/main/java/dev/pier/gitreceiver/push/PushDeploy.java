package dev.pier.gitreceiver.push;

import dev.pier.api.Build;
import dev.pier.api.BuildState;
import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.NewBuild;
import dev.pier.api.Route;
import dev.pier.api.blob.BlobstoreClient;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.controller.DeploymentWatch;
import dev.pier.api.http.PierApiException;
import dev.pier.gitreceiver.GitReceiverProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push, from the received commit to the release serving, in three calls: the tree goes to the blobstore as
 * {@code sources/<app>/<commit>.tgz}; the controller starts a build of it, whose output streams to the pusher
 * line by line (the controller makes the artifact, the release and the deployment when it succeeds, whether or
 * not the pusher is still there); then the push follows the deployment, printing its steps, and prints the app's
 * URL once the new release serves. Any failure leaves the running release as it was.
 */
public final class PushDeploy {
    private static final Logger LOG = LoggerFactory.getLogger(PushDeploy.class);
    /** How long a push waits for a build of the app that someone else started (e.g. through the API). */
    static final Duration OTHER_BUILD_WAIT = Duration.ofMinutes(20);

    private final ControllerClient controller;
    private final BlobstoreClient blobs;
    private final GitReceiverProperties properties;

    public PushDeploy(ControllerClient controller, BlobstoreClient blobs, GitReceiverProperties properties) {
        this.controller = controller;
        this.blobs = blobs;
        this.properties = properties;
    }

    /** The outcome: empty reason when the new release is serving, else why the push is refused. */
    public record Outcome(String refusal) {
        static Outcome ok() {
            return new Outcome(null);
        }

        public boolean succeeded() {
            return refusal == null;
        }
    }

    public Outcome deploy(String app, Repository repository, ObjectId commit, Consumer<String> out)
            throws IOException, InterruptedException {
        String shortId = commit.abbreviate(7).name();
        out.accept("-----> Building " + app + " from commit " + shortId);
        Build build;
        Path source = Files.createTempFile("pier-source-", ".tgz");
        try {
            SourceArchive.write(repository, commit, source);
            String path = "sources/" + app + "/" + commit.name() + ".tgz";
            blobs.put(path, source, (String) null);
            build = start(app, new NewBuild(path, commit.name(), "git push " + shortId), out);
        } catch (PierApiException e) {
            return refuse(out, "the build could not start: " + e.getMessage());
        } finally {
            Files.deleteIfExists(source);
        }
        LOG.info("event=build_started app={} commit={} build={} job={} host={}", app, commit.name(), build.id(),
                build.jobId(), build.hostId());
        try {
            controller.buildLog(app, build.id(), true, line -> out.accept(line.text()));
            build = controller.build(app, build.id());
        } catch (PierApiException e) {
            return refuse(out, "the build's output was lost: " + e.getMessage() + " (the build goes on: 'pier builds')");
        }
        if (build.state() != BuildState.SUCCEEDED) {
            LOG.info("event=build_failed app={} commit={} build={} reason=\"{}\"", app, commit.name(), build.id(),
                    build.error());
            String error = build.error() == null ? "the build ended " + build.state().wireName() : build.error();
            return refuse(out, error.startsWith("build failed") ? error : "build failed: " + error);
        }
        out.accept("-----> Releasing v" + build.releaseVersion() + " (process types: "
                + String.join(", ", new java.util.TreeSet<>(build.processTypes().keySet())) + ")");
        return follow(app, build, out);
    }

    /** Starts the build; when one of the app's is under way already (started elsewhere), waits for it first. */
    private Build start(String app, NewBuild request, Consumer<String> out) throws InterruptedException {
        long deadline = System.nanoTime() + OTHER_BUILD_WAIT.toNanos();
        while (true) {
            try {
                return controller.build(app, request);
            } catch (PierApiException e) {
                Optional<Build> other = e.isConflict() ? underWay(app) : Optional.empty();
                if (other.isEmpty() || System.nanoTime() > deadline) {
                    throw e;
                }
                out.accept("-----> Waiting for build " + other.get().id() + " of " + app + " to finish");
                controller.buildLog(app, other.get().id(), true, line -> { });
            }
        }
    }

    private Optional<Build> underWay(String app) {
        return controller.builds(app, 5).stream().filter(b -> !b.state().isFinished()).findFirst();
    }

    private Outcome follow(String app, Build build, Consumer<String> out) throws InterruptedException {
        if (build.deploymentId() == null) {
            out.accept("-----> v" + build.releaseVersion() + " released (nothing to run yet)");
            return Outcome.ok();
        }
        Deployment deployment;
        try {
            deployment = controller.deployment(build.deploymentId());
        } catch (PierApiException e) {
            return refuse(out, "the deploy of v" + build.releaseVersion() + " could not be followed: " + e.getMessage());
        }
        deployment = DeploymentWatch.await(controller, deployment, properties.deployTimeout(), d -> {
            if (d.step() != null && !d.status().isFinished()) {
                out.accept("       " + d.step());
            }
        });
        if (!deployment.status().isFinished()) {
            out.accept("       The deploy of v" + build.releaseVersion() + " is still running after "
                    + properties.deployTimeout().toSeconds() + " s; follow it with 'pier deployment show "
                    + deployment.id() + "'");
            return Outcome.ok();
        }
        if (deployment.status() == DeploymentStatus.FAILED) {
            return refuse(out, "the deploy of v" + build.releaseVersion() + " failed: " + deployment.error()
                    + "; the previous release keeps running");
        }
        out.accept("-----> v" + build.releaseVersion() + " deployed");
        url(app).ifPresent(url -> out.accept("       " + url));
        LOG.info("event=push_deployed app={} build={} release={} version={}", app, build.id(), build.releaseId(),
                build.releaseVersion());
        return Outcome.ok();
    }

    private Optional<String> url(String app) {
        try {
            List<Route> routes = controller.routes(app);
            return routes.stream().findFirst().map(r -> AppUrl.of(r.domain(), properties.routerPort()));
        } catch (PierApiException e) {
            return Optional.empty();
        }
    }

    private static Outcome refuse(Consumer<String> out, String reason) {
        out.accept(" !     Push rejected: " + reason);
        return new Outcome(reason);
    }
}
