package dev.pier.api.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.Artifact;
import dev.pier.api.ProcessType;
import dev.pier.api.Release;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobSpecsTest {
    private static final Artifact IMAGE = new Artifact(UUID.randomUUID(), Artifact.DOCKER, "pier/redis:1", null, null,
            Map.of(), Instant.EPOCH);
    private static final Release RELEASE = new Release(UUID.randomUUID(), "shop", 3, IMAGE.id(), Map.of("A", "1"),
            Map.of("web", ProcessType.web("httpd -f -p $PORT")), Map.of(), null, Instant.EPOCH);

    private static JobSpec oneOff(List<String> command) {
        return JobSpecs.forOneOff("run-1", RELEASE, IMAGE, command, Map.of("B", "2"), 64, "pier/slugrunner",
                url -> url, false, false, new StringBuilder()).orElseThrow();
    }

    @Test
    void anImagesProcessTypeThatIsOneCommandReplacesTheShell() {
        JobSpec web = JobSpecs.forJob("web-1", RELEASE, IMAGE, "web", null, 64, "pier/slugrunner", url -> url,
                new StringBuilder()).orElseThrow();

        assertThat(web.command()).containsExactly("/bin/sh", "-c", "exec httpd -f -p $PORT");
    }

    @Test
    void anImagesOneOffShellLineReplacesTheShellSoItIsTheOneThatGetsTheStopSignal() {
        assertThat(oneOff(List.of("redis-cli -h db ping")).command())
                .containsExactly("/bin/sh", "-c", "exec redis-cli -h db ping");
        assertThat(oneOff(List.of("sleep 1; echo done")).command())
                .as("a list keeps its shell").containsExactly("/bin/sh", "-c", "sleep 1; echo done");
        assertThat(oneOff(List.of("redis-cli", "ping")).command())
                .as("a program and its arguments run as given").containsExactly("redis-cli", "ping");
    }

    @Test
    void aOneOffRunsWithTheReleasesConfigVarsAndItsOwnOnTop() {
        JobSpec run = oneOff(List.of("env"));

        assertThat(run.env()).containsEntry("A", "1").containsEntry("B", "2").containsEntry("PIER_PROCESS_TYPE", "run")
                .containsEntry("PIER_RELEASE_VERSION", "v3").containsEntry("PIER_JOB_ID", "run-1");
    }
}
