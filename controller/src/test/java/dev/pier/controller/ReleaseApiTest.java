package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.App;
import dev.pier.api.Artifact;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.DeploymentUpdate;
import dev.pier.api.Formation;
import dev.pier.api.HealthCheck;
import dev.pier.api.NewArtifact;
import dev.pier.api.NewDeployment;
import dev.pier.api.NewRelease;
import dev.pier.api.ProcessType;
import dev.pier.api.Release;
import dev.pier.api.ReleaseChange;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseApiTest extends ControllerTestSupport {

    private Artifact slug() {
        return client.createArtifact(new NewArtifact("slug", "blob:slugs/" + uniqueName("s") + ".tgz",
                "a".repeat(64), 1234L, Map.of()));
    }

    @Test
    void releasesAreNumberedImmutableAndListedNewestFirst() {
        App app = newApp("rel");
        Artifact artifact = slug();
        assertThat(client.artifact(artifact.id())).isEqualTo(artifact);
        Release v1 = client.createRelease(app.name(), new NewRelease(artifact.id(), Map.of("A", "1"),
                Map.of("web", new ProcessType("npm start", 8080, HealthCheck.http("/health").withGrace(30))), Map.of("git", "abc"),
                "first"));
        Release v2 = webRelease(app.name(), Map.of());
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(client.releases(app.name())).extracting(Release::version).containsExactly(2, 1);
        assertThat(client.release(app.name(), v1.id())).isEqualTo(v1);
        assertThat(v1.processes().get("web").healthCheck().path()).isEqualTo("/health");
        assertProblem(() -> client.currentRelease(app.name()), 404, "no release yet");
    }

    @Test
    void listingTellsAnAppWithoutReleasesFromNoAppAtAll() {
        App app = newApp("list");
        assertThat(client.releases(app.name())).isEmpty();
        for (int i = 0; i < 3; i++) {
            webRelease(app.name(), Map.of("N", String.valueOf(i)));
        }
        assertThat(client.get("/apps/" + app.name() + "/releases?limit=2", Release[].class))
                .extracting(Release::version).containsExactly(3, 2);
        assertThat(client.releases(app.name())).allSatisfy(r -> assertThat(r.app()).isEqualTo(app.name()));
        assertProblem(() -> client.releases("no-such-app"), 404, "app 'no-such-app' not found");
        assertProblem(() -> client.get("/apps/no-such-app/releases?limit=0", Release[].class), 404, "not found");
        assertProblem(() -> client.get("/apps/" + app.name() + "/releases?limit=0", Release[].class), 400, "limit");
        client.deleteApp(app.name());
        assertProblem(() -> client.releases(app.name()), 404, "not found");
    }

    @Test
    void aFirstDeployWaitsForItsJobsToServeBeforeTheReleaseBecomesCurrent() {
        App app = newApp("first");
        Release release = webRelease(app.name(), Map.of());
        var deployment = client.deploy(app.name(), new NewDeployment(release.id(), null));
        assertThat(deployment.status()).isEqualTo(DeploymentStatus.PENDING);
        assertThat(deployment.step()).isEqualTo("waiting for the scheduler");
        assertThat(deployment.oldReleaseId()).isNull();
        assertThat(deployment.processes()).containsExactly(Map.entry("web", 1));
        assertThat(client.app(app.name()).releaseId()).isNull();
        // what the scheduler's runner does once the new job is up and routed
        client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.RUNNING, null, "web: starting"));
        client.scale(app.name(), release.id(), deployment.processes());
        assertThat(client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.COMPLETE, null))
                .step()).isNull();
        assertThat(client.app(app.name()).releaseId()).isEqualTo(release.id());
        assertThat(client.currentRelease(app.name())).isEqualTo(release);
        assertThat(client.formation(app.name(), release.id()).processes()).containsExactly(Map.entry("web", 1));
        assertProblem(() -> client.deploy(app.name(), new NewDeployment(release.id(), null)), 409,
                "already the current release");
    }

    @Test
    void envChangesMakeNewReleasesAndDeployThem() {
        App app = newApp("env");
        ReleaseChange set = client.changeEnv(app.name(), Map.of("GREETING", "hello", "N", "1"));
        assertThat(set.release().version()).isEqualTo(1);
        assertThat(set.deployment().status()).isEqualTo(DeploymentStatus.COMPLETE);
        assertThat(client.env(app.name())).containsOnly(Map.entry("GREETING", "hello"), Map.entry("N", "1"));

        Map<String, String> unset = new LinkedHashMap<>();
        unset.put("N", null);
        unset.put("MORE", "x");
        ReleaseChange second = client.changeEnv(app.name(), unset);
        assertThat(second.release().version()).isEqualTo(2);
        assertThat(client.env(app.name())).containsOnly(Map.entry("GREETING", "hello"), Map.entry("MORE", "x"));
        assertThat(second.release().description()).isEqualTo("Set -N, MORE");

        ReleaseChange same = client.changeEnv(app.name(), Map.of("MORE", "x"));
        assertThat(same.deployment()).isNull();
        assertThat(same.release().version()).isEqualTo(2);
        assertThat(client.env(newApp("blank").name())).isEmpty();
    }

    @Test
    void envChangeKeepsCodeAndProcessesOfTheCurrentRelease() {
        App app = newApp("keep");
        Release code = webRelease(app.name(), Map.of("A", "1"));
        deployed(app.name(), code);
        Release next = client.changeEnv(app.name(), Map.of("B", "2")).release();
        assertThat(next.processes()).isEqualTo(code.processes());
        assertThat(next.env()).containsOnly(Map.entry("A", "1"), Map.entry("B", "2"));
    }

    @Test
    void rollbackMakesANewReleaseCopiedFromTheOldOne() {
        App app = newApp("roll");
        client.changeEnv(app.name(), Map.of("V", "one"));
        client.changeEnv(app.name(), Map.of("V", "two"));
        ReleaseChange back = client.rollback(app.name(), null);
        assertThat(back.release().version()).isEqualTo(3);
        assertThat(back.release().description()).isEqualTo("Rollback to v1");
        assertThat(client.env(app.name())).containsExactly(Map.entry("V", "one"));

        Release v2 = client.releases(app.name()).stream().filter(r -> r.version() == 2).findFirst().orElseThrow();
        ReleaseChange forward = client.rollback(app.name(), v2.id());
        assertThat(forward.release().version()).isEqualTo(4);
        assertThat(forward.release().meta()).containsEntry("rollback_of", v2.id().toString());
        assertThat(client.env(app.name())).containsExactly(Map.entry("V", "two"));

        App fresh = newApp("nothing");
        assertProblem(() -> client.rollback(fresh.name(), null), 409, "no release to roll back from");
        client.changeEnv(fresh.name(), Map.of("X", "1"));
        assertProblem(() -> client.rollback(fresh.name(), null), 409, "no earlier release");
    }

    @Test
    void aDeployOverRunningProcessesWaitsPendingAndBlocksOthers() {
        App app = newApp("busy");
        Release v1 = webRelease(app.name(), Map.of());
        deployed(app.name(), v1);
        client.scale(app.name(), v1.id(), Map.of("web", 3, "worker", 1));
        ReleaseChange change = client.changeEnv(app.name(), Map.of("A", "1"));
        assertThat(change.deployment().status()).isEqualTo(DeploymentStatus.PENDING);
        assertThat(change.deployment().processes()).containsOnly(Map.entry("web", 3), Map.entry("worker", 1));
        assertThat(change.deployment().oldReleaseId()).isEqualTo(v1.id());
        assertThat(client.app(app.name()).releaseId()).as("current until the deployment completes").isEqualTo(v1.id());
        assertProblem(() -> client.changeEnv(app.name(), Map.of("B", "2")), 409, "still pending");
        assertThat(client.deployments(app.name())).hasSize(2);
        assertThat(client.deployment(change.deployment().id())).isEqualTo(change.deployment());
    }

    @Test
    void formationsAreValidatedAgainstTheirRelease() {
        App app = newApp("form");
        Release release = webRelease(app.name(), Map.of());
        Formation formation = client.scale(app.name(), release.id(), Map.of("web", 2, "worker", 0));
        assertThat(formation.processes()).containsOnly(Map.entry("web", 2), Map.entry("worker", 0));
        assertThat(client.formations(app.name())).containsExactly(formation);
        assertThat(client.allFormations()).contains(formation);
        assertProblem(() -> client.scale(app.name(), release.id(), Map.of("clock", 1)), 400,
                "has no process type 'clock' (it has: ");
        assertProblem(() -> client.scale(app.name(), release.id(), Map.of("web", 101)), 400, "between 0 and 100");
        assertProblem(() -> client.scale(app.name(), release.id(), Map.of("web", -1)), 400, "between 0 and 100");
        assertProblem(() -> client.scale(app.name(), java.util.UUID.randomUUID(), Map.of("web", 1)), 404,
                "has no release");
    }
}
