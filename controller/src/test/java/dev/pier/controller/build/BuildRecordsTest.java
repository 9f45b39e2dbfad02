package dev.pier.controller.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.App;
import dev.pier.api.Build;
import dev.pier.api.BuildResult;
import dev.pier.api.BuildState;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.LogLine;
import dev.pier.api.Release;
import dev.pier.controller.ControllerTestSupport;
import dev.pier.web.ApiProblem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A build's rows on PostgreSQL: one under way per app, its end releasing and deploying it, its output kept. */
class BuildRecordsTest extends ControllerTestSupport {
    private static final String SHA = "ab".repeat(32);

    @Autowired
    BuildRecords records;

    private static List<LogLine> output(String app, String... lines) {
        return java.util.Arrays.stream(lines).map(l -> new LogLine(Instant.parse("2026-12-06T00:00:00Z"), app, "build",
                app + "-build-1", "stdout", l)).toList();
    }

    /** What the web layer would answer: an {@link ApiProblem} with this status and detail. */
    private static void assertRefused(ThrowableAssert.ThrowingCallable call, int status, String detailPart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiProblem.class, e -> {
            assertThat(e.status().value()).isEqualTo(status);
            assertThat(e.getMessage()).contains(detailPart);
        });
    }

    private Build building(String app) {
        Build build = records.create(app, "sources/" + app + "/abc.tgz", "abc1234", null, "slugs/" + app + "/x.tar.zst");
        return records.building(build.id(), app + "-build-1", "h1");
    }

    @Test
    void oneBuildAtATimeAndASuccessIsReleasedWithTheConfigVarsOfThenAndDeployed() {
        App app = newApp("built");
        Build build = building(app.name());
        assertThat(build.state()).isEqualTo(BuildState.BUILDING);
        assertRefused(() -> records.create(app.name(), "sources/" + app.name() + "/def.tgz", null, null, "slugs/x"),
                409, "build " + build.id() + " of '" + app.name() + "' is still building");
        client.changeEnv(app.name(), Map.of("SET", "during the build")); // config-only: done at once

        BuildRecords.Finish finish = records.succeeded(build.id(), new BuildResult(SHA, 42L,
                Map.of("web", "npm start", "worker", "node w.js"), "nodejs", null), "http://blobs/slugs/x.tar.zst",
                output(app.name(), "-----> Node.js app detected", "done"));
        Build done = finish.build();
        assertThat(finish.waitFor()).isNull();
        assertThat(done.state()).isEqualTo(BuildState.SUCCEEDED);
        assertThat(done.releaseVersion()).isEqualTo(2);
        assertThat(done.processTypes()).containsOnlyKeys("web", "worker");
        Release release = client.release(app.name(), done.releaseId());
        assertThat(release.env()).containsEntry("SET", "during the build");
        assertThat(release.processes().get("web").port()).isEqualTo(8080);
        assertThat(release.processes().get("worker").port()).isNull();
        assertThat(release.meta()).containsEntry("commit", "abc1234").containsEntry("build", build.id().toString());
        assertThat(client.artifact(release.artifactId()).sha256()).isEqualTo(SHA);
        assertThat(client.deployment(done.deploymentId()).status()).isEqualTo(DeploymentStatus.PENDING);
        assertThat(records.output(build.id())).extracting(LogLine::text).containsExactly("-----> Node.js app detected", "done");
        assertThat(client.builds(app.name(), 10)).extracting(Build::id).containsExactly(build.id());

        // the next build waits for that deployment
        Build next = building(app.name());
        BuildRecords.Finish waits = records.succeeded(next.id(), new BuildResult(SHA, 42L, Map.of("web", "npm start"),
                "nodejs", null), "http://blobs/slugs/y.tar.zst", List.of());
        assertThat(waits.waitFor()).isEqualTo(done.deploymentId());
        assertThat(client.build(app.name(), next.id()).state()).isEqualTo(BuildState.BUILDING);
    }

    @Test
    void aFailedBuildKeepsItsCauseAndOutputAndReleasesNothing() {
        App app = newApp("broken");
        Build build = building(app.name());
        Build failed = records.failed(build.id(), "build failed: package.json is not valid JSON",
                output(app.name(), " !     package.json is not valid JSON"));
        assertThat(failed.state()).isEqualTo(BuildState.FAILED);
        assertThat(failed.error()).isEqualTo("build failed: package.json is not valid JSON");
        assertThat(failed.finishedAt()).isNotNull();
        assertThat(client.releases(app.name())).isEmpty();
        assertThat(records.output(build.id())).extracting(LogLine::text).containsExactly(" !     package.json is not valid JSON");
        // failing twice changes nothing; a new build may start
        assertThat(records.failed(build.id(), "again", List.of()).error()).isEqualTo(failed.error());
        assertThat(building(app.name()).state()).isEqualTo(BuildState.BUILDING);
    }

    @Test
    void aBuildOfAnAppDeletedMeanwhileIsNotReleasedToANamesake() {
        App app = newApp("gone");
        Build build = building(app.name());
        client.deleteApp(app.name());
        client.createApp(dev.pier.api.NewApp.named(app.name()));
        assertRefused(() -> records.succeeded(build.id(), new BuildResult(SHA, 1L, Map.of("web", "x"), "procfile", null),
                "http://blobs/s", List.of()), 404, "was deleted during the build");
        assertThat(client.releases(app.name())).isEmpty();
    }
}
