package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.App;
import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.DeploymentUpdate;
import dev.pier.api.Event;
import dev.pier.api.EventTypes;
import dev.pier.api.Job;
import dev.pier.api.JobReport;
import dev.pier.api.JobState;
import dev.pier.api.NewDeployment;
import dev.pier.api.OutOfMemory;
import dev.pier.api.Release;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A process type's memory limit, kept with the formation, and a job killed for memory, said as such. */
class ProcessMemoryApiTest extends ControllerTestSupport {

    @Test
    void aScaleMaySetEachTypesMemoryAndAScaleWithoutSizesKeepsThem() {
        App app = newApp("mem");
        Release v1 = webRelease(app.name(), Map.of());
        deployed(app.name(), v1);
        assertThat(client.scale(app.name(), v1.id(), Map.of("web", 2), Map.of("web", 512)).memoryMb())
                .containsExactly(Map.entry("web", 512));
        assertThat(client.scale(app.name(), v1.id(), Map.of("web", 3, "worker", 1)).memoryMb())
                .containsExactly(Map.entry("web", 512));
        assertThat(client.formation(app.name(), v1.id()).processes()).containsOnly(Map.entry("web", 3),
                Map.entry("worker", 1));
        // memory_mb replaces the sizes: a type it leaves out is back at the default
        assertThat(client.scale(app.name(), v1.id(), Map.of("web", 3), Map.of("worker", 1024)).memoryMb())
                .containsExactly(Map.entry("worker", 1024));
    }

    @Test
    void aSizeOutOfBoundsOrForATypeTheReleaseLacksIsRefusedNamingTheField() {
        App app = newApp("membad");
        Release v1 = webRelease(app.name(), Map.of());
        deployed(app.name(), v1);
        assertProblem(() -> client.scale(app.name(), v1.id(), Map.of("web", 1), Map.of("web", 8)), 400,
                "memory for process type 'web' must be between 32 and 65536 MB, not 8");
        assertProblem(() -> client.scale(app.name(), v1.id(), Map.of("web", 1), Map.of("clock", 512)), 400,
                "has no process type 'clock'");
        assertThat(client.formation(app.name(), v1.id()).memoryMb()).isEmpty();
    }

    @Test
    void theSizesGoWithTheCountsToTheNextRelease() {
        App app = newApp("memdep");
        Release v1 = webRelease(app.name(), Map.of());
        deployed(app.name(), v1);
        client.scale(app.name(), v1.id(), Map.of("web", 2, "worker", 1), Map.of("web", 512));
        Deployment deployment = client.changeEnv(app.name(), Map.of("V", "2")).deployment();
        client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.RUNNING, null));
        // the runner scales the new release up without naming sizes: its formation takes the current one's
        assertThat(client.scale(app.name(), deployment.newReleaseId(), Map.of("web", 1)).memoryMb())
                .containsExactly(Map.entry("web", 512));
        client.scale(app.name(), deployment.newReleaseId(), Map.of("web", 2, "worker", 1));
        client.scale(app.name(), v1.id(), Map.of("web", 0, "worker", 0));
        client.updateDeployment(deployment.id(), new DeploymentUpdate(DeploymentStatus.COMPLETE, null));
        assertThat(client.formation(app.name(), deployment.newReleaseId()).memoryMb())
                .containsExactly(Map.entry("web", 512));

        // a deploy done at once (nothing ran) carries them too
        client.scale(app.name(), deployment.newReleaseId(), Map.of("web", 0, "worker", 0));
        Deployment atOnce = client.changeEnv(app.name(), Map.of("V", "3")).deployment();
        assertThat(atOnce.status()).isEqualTo(DeploymentStatus.COMPLETE);
        assertThat(client.formation(app.name(), atOnce.newReleaseId()).memoryMb())
                .containsExactly(Map.entry("web", 512));
    }

    @Test
    void aJobKilledForMemoryKeepsItsLimitAndReasonAndHasAnEventOfItsOwn() {
        App app = newApp("oom");
        Release v1 = webRelease(app.name(), Map.of());
        String id = "oom-" + UUID.randomUUID().toString().substring(0, 8);
        client.reportJob(app.name(), id, new JobReport(v1.id(), "web", "h1", JobState.PENDING, null, null, 0, null,
                null, 256));
        client.reportJob(app.name(), id, new JobReport(null, null, null, JobState.STARTING, null, null, 0, null, null));
        Job crashed = client.reportJob(app.name(), id, new JobReport(null, null, null, JobState.CRASHED,
                OutOfMemory.reason(256), 137, 0, null, null));
        assertThat(crashed.reason()).isEqualTo("out of memory: over its 256 MB limit");
        assertThat(crashed.memoryMb()).isEqualTo(256);
        assertThat(crashed.exitStatus()).isEqualTo(137);
        List<Event> events = client.events(app.name(), Set.of(EventTypes.JOB_OUT_OF_MEMORY), null, 10);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.objectId()).isEqualTo(id));

        // another crash is no memory event
        String other = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        client.reportJob(app.name(), other, new JobReport(v1.id(), "web", "h1", JobState.PENDING, null, null, 0, null,
                null));
        client.reportJob(app.name(), other, new JobReport(null, null, null, JobState.STARTING, null, null, 0, null, null));
        client.reportJob(app.name(), other, new JobReport(null, null, null, JobState.CRASHED, "exited with status 1", 1,
                0, null, null));
        assertThat(client.events(app.name(), Set.of(EventTypes.JOB_OUT_OF_MEMORY), null, 10)).hasSize(1);
    }
}
