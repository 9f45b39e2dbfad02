package dev.pier.gitreceiver.push;

import dev.pier.api.Artifact;
import dev.pier.api.Build;
import dev.pier.api.BuildResult;
import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.NewArtifact;
import dev.pier.api.NewBuild;
import dev.pier.api.NewDeployment;
import dev.pier.api.NewRelease;
import dev.pier.api.Release;
import dev.pier.api.Route;
import dev.pier.api.blob.BlobstoreClient;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.controller.DeploymentWatch;
import dev.pier.api.http.PierApiException;
import dev.pier.gitreceiver.GitReceiverProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push, from the received commit to the release serving: the tree goes to the blobstore as
 * {@code sources/<app>/<commit>.tgz}, the controller starts the slug builder, whose output streams to the
 * pusher line by line; on success an artifact and a release (config vars from the current release, processes
 * from the build) are made and deployed, and the push waits for the deploy and prints the app's URL. Any
 * failure leaves the running release as it was.
 */
public final class PushDeploy {
    private static final Logger LOG = LoggerFactory.getLogger(PushDeploy.class);

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
            build = controller.build(app, new NewBuild(path, commit.name()));
        } catch (PierApiException e) {
            return refuse(out, "the build could not start: " + e.getMessage());
        } finally {
            Files.deleteIfExists(source);
        }
        LOG.info("event=build_started app={} commit={} job={} host={}", app, commit.name(), build.jobId(), build.hostId());
        BuildOutput output = new BuildOutput(out);
        try {
            // the result line is the builder's last word: the release starts from it, not from the job's exit
            // (which the stream would end with a third of a second later)
            controller.followJobLogWhile(app, build.jobId(), line -> {
                output.line(line.text());
                return output.result().isEmpty();
            });
        } catch (PierApiException e) {
            return refuse(out, "the build's output was lost: " + e.getMessage());
        }
        BuildResult result = output.result().orElse(null);
        if (result == null || !result.succeeded()) {
            LOG.info("event=build_failed app={} commit={} job={} reason=\"{}\"", app, commit.name(), build.jobId(),
                    output.failure());
            String failure = output.failure();
            return refuse(out, failure.startsWith("build failed") ? failure : "build failed: " + failure);
        }
        return release(app, commit, build, result, out);
    }

    private Outcome release(String app, ObjectId commit, Build build, BuildResult result, Consumer<String> out)
            throws InterruptedException {
        Release release;
        Deployment deployment;
        try {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("commit", commit.name());
            meta.put("buildpack", String.valueOf(result.buildpack()));
            meta.put("build_job", build.jobId());
            Artifact artifact = controller.createArtifact(new NewArtifact(Artifact.SLUG, build.slugUri(),
                    result.slugSha256(), result.slugSize(), meta));
            release = controller.createRelease(app, new NewRelease(artifact.id(), controller.env(app),
                    ReleasePlan.processes(result.processTypes()), Map.of("commit", commit.name()),
                    "git push " + commit.abbreviate(7).name()));
            out.accept("-----> Releasing v" + release.version() + " (process types: "
                    + String.join(", ", release.processes().keySet()) + ")");
            deployment = controller.deploy(app, new NewDeployment(release.id(), null));
        } catch (PierApiException e) {
            return refuse(out, "the release could not be made: " + e.getMessage());
        }
        deployment = DeploymentWatch.await(controller, deployment, properties.deployTimeout(), d -> {
            if (d.step() != null && !d.status().isFinished()) {
                out.accept("       " + d.step());
            }
        });
        if (!deployment.status().isFinished()) {
            out.accept("       The deploy of v" + release.version() + " is still running after "
                    + properties.deployTimeout().toSeconds() + " s; follow it with 'pier deployment show "
                    + deployment.id() + "'");
            return Outcome.ok();
        }
        if (deployment.status() == DeploymentStatus.FAILED) {
            return refuse(out, "the deploy of v" + release.version() + " failed: " + deployment.error()
                    + "; the previous release keeps running");
        }
        out.accept("-----> v" + release.version() + " deployed");
        url(app).ifPresent(url -> out.accept("       " + url));
        LOG.info("event=push_deployed app={} commit={} release={} version={}", app, commit.name(), release.id(),
                release.version());
        return Outcome.ok();
    }

    private java.util.Optional<String> url(String app) {
        try {
            List<Route> routes = controller.routes(app);
            return routes.stream().findFirst().map(r -> ReleasePlan.url(r.domain(), properties.routerPort()));
        } catch (PierApiException e) {
            return java.util.Optional.empty();
        }
    }

    private static Outcome refuse(Consumer<String> out, String reason) {
        out.accept(" !     Push rejected: " + reason);
        return new Outcome(reason);
    }
}
