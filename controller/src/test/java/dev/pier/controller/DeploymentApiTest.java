package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.App;
import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.DeploymentUpdate;
import dev.pier.api.Formation;
import dev.pier.api.NewDeployment;
import dev.pier.api.Release;
import dev.pier.api.controller.DeploymentWatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeploymentApiTest extends ControllerTestSupport {

    /** An app running v1 with web=3 worker=1, and a pending deployment to v2. */
    private Deployment pendingDeployment(App app, Release v1) {
        deployed(app.name(), v1);
        client.scale(app.name(), v1.id(), Map.of("web", 3, "worker", 1));
        return client.changeEnv(app.name(), Map.of("V", "2")).deployment();
    }

    @Test
    void aCompletedDeploymentMakesTheNewReleaseCurrentWithItsFormation() {
        App app = newApp("dep");
        Release v1 = webRelease(app.name(), Map.of());
        Deployment deployment = pendingDeployment(app, v1);
        assertThat(deployment.oldProcesses()).containsOnly(Map.entry("web", 3), Map.entry("worker", 1));
        assertThat(client.activeDeployments()).extracting(Deployment::id).contains(deployment.id());

        Deployment running = client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.RUNNING, null));
        assertThat(running.startedAt()).isNotNull();
        // the runner moves the counts over...
        client.scale(app.name(), deployment.newReleaseId(), Map.of("web", 3, "worker", 1));
        client.scale(app.name(), v1.id(), Map.of("web", 0, "worker", 0));
        Deployment complete = client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.COMPLETE, null));
        assertThat(complete.finishedAt()).isNotNull();
        assertThat(client.app(app.name()).releaseId()).isEqualTo(deployment.newReleaseId());
        assertThat(client.formations(app.name())).extracting(Formation::releaseId).containsExactly(deployment.newReleaseId());
        assertThat(client.formation(app.name(), deployment.newReleaseId()).processes())
                .containsOnly(Map.entry("web", 3), Map.entry("worker", 1));
        assertThat(client.activeDeployments()).extracting(Deployment::id).doesNotContain(deployment.id());
        assertProblem(() -> client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.FAILED, "late")),
                409, "cannot move from complete to failed");
    }

    @Test
    void aFailedDeploymentRestoresTheOldCountsAndRemovesTheNewFormation() {
        App app = newApp("fail");
        Release v1 = webRelease(app.name(), Map.of());
        Deployment deployment = pendingDeployment(app, v1);
        client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.RUNNING, null));
        client.scale(app.name(), deployment.newReleaseId(), Map.of("web", 1));
        client.scale(app.name(), v1.id(), Map.of("web", 2, "worker", 1));
        assertProblem(() -> client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.FAILED, null)),
                400, "needs the reason");
        Deployment failed = client.updateDeployment(deployment.id(),
                new DeploymentUpdate(DeploymentStatus.FAILED, "web job crashed: exited with status 1"));
        assertThat(failed.error()).isEqualTo("web job crashed: exited with status 1");
        assertThat(client.app(app.name()).releaseId()).isEqualTo(v1.id());
        assertThat(client.formations(app.name())).singleElement().satisfies(f -> {
            assertThat(f.releaseId()).isEqualTo(v1.id());
            assertThat(f.processes()).containsOnly(Map.entry("web", 3), Map.entry("worker", 1));
        });
        assertThat(client.changeEnv(app.name(), Map.of("V", "3")).deployment().status())
                .as("a new change may deploy again").isEqualTo(DeploymentStatus.PENDING);
    }

    @Test
    void aWatchSeesTheDeploymentFinishAsItsEventsArrive() throws Exception {
        App app = newApp("watch");
        Deployment deployment = pendingDeployment(app, webRelease(app.name(), Map.of()));
        List<DeploymentStatus> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Deployment> watched = CompletableFuture.supplyAsync(() -> {
            try {
                return DeploymentWatch.await(client, deployment, Duration.ofMinutes(1), d -> seen.add(d.status()));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().until(() -> seen.contains(DeploymentStatus.PENDING));
        client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.RUNNING, null));
        await().until(() -> seen.contains(DeploymentStatus.RUNNING));
        client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.FAILED, "web job crashed"));
        Deployment last = watched.get(30, TimeUnit.SECONDS);
        assertThat(last.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(last.error()).isEqualTo("web job crashed");
        assertThat(seen).containsExactly(DeploymentStatus.PENDING, DeploymentStatus.RUNNING, DeploymentStatus.FAILED);
    }

    @Test
    void aWatchThatRunsOutOfTimeReturnsTheDeploymentAsItLastWas() throws Exception {
        App app = newApp("wait");
        Deployment deployment = pendingDeployment(app, webRelease(app.name(), Map.of()));
        Deployment last = DeploymentWatch.await(client, deployment, Duration.ofMillis(300), d -> { });
        assertThat(last.status()).isEqualTo(DeploymentStatus.PENDING);
        Deployment finished = client.updateDeployment(deployment.id(),
                new DeploymentUpdate(DeploymentStatus.FAILED, "given up"));
        assertThat(DeploymentWatch.await(client, finished, Duration.ofMillis(300), d -> { })).isSameAs(finished);
    }

    @Test
    void badUpdatesAreRefused() throws Exception {
        assertProblem(() -> client.updateDeployment(java.util.UUID.randomUUID(),
                new DeploymentUpdate(DeploymentStatus.RUNNING, null)), 404, "not found");
        assertThat(raw("PUT", "/deployments/nope", "{\"status\":\"running\"}").statusCode()).isEqualTo(400);
        assertThat(raw("PUT", "/deployments/" + java.util.UUID.randomUUID(), "{\"status\":\"exploded\"}").statusCode())
                .isEqualTo(400);
        assertThat(raw("GET", "/deployments?active=false", null).statusCode()).isEqualTo(400);
    }
}
