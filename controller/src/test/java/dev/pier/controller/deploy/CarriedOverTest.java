package dev.pier.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.ProcessType;
import dev.pier.controller.app.AppNameGenerator;
import dev.pier.controller.formation.FormationEntity;
import dev.pier.controller.release.ReleaseEntity;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The pure rule for what a new release runs: no database, no Spring. */
class CarriedOverTest {
    private static final UUID APP = UUID.randomUUID();

    private static ReleaseEntity release(String... types) {
        Map<String, ProcessType> processes = new java.util.LinkedHashMap<>();
        for (String type : types) {
            processes.put(type, ProcessType.worker("run " + type));
        }
        return new ReleaseEntity(APP, 1, null, Map.of(), processes, Map.of(), null, Instant.now());
    }

    @Test
    void aFirstDeployRunsOneWebProcess() {
        assertThat(DeployService.carriedOver(Optional.empty(), release("web", "worker"))).containsExactly(Map.entry("web", 1));
        assertThat(DeployService.carriedOver(Optional.empty(), release("worker"))).isEmpty();
    }

    @Test
    void laterDeploysKeepTheCountsOfTypesThatStillExist() {
        FormationEntity old = new FormationEntity(APP, UUID.randomUUID(), Map.of("web", 3, "worker", 2, "clock", 1),
                Instant.now());
        assertThat(DeployService.carriedOver(Optional.of(old), release("web", "worker")))
                .containsOnly(Map.entry("web", 3), Map.entry("worker", 2));
        FormationEntity scaledDown = new FormationEntity(APP, UUID.randomUUID(), Map.of("web", 0), Instant.now());
        assertThat(DeployService.carriedOver(Optional.of(scaledDown), release("web")))
                .as("an app scaled to zero stays at zero").containsExactly(Map.entry("web", 0));
        FormationEntity configOnly = new FormationEntity(APP, UUID.randomUUID(), Map.of(), Instant.now());
        assertThat(DeployService.carriedOver(Optional.of(configOnly), release("web", "worker")))
                .as("the first code after config-only releases runs one web process").containsExactly(Map.entry("web", 1));
    }

    @Test
    void generatedAppNamesAreValid() {
        AppNameGenerator names = new AppNameGenerator(new Random(42));
        for (int i = 0; i < 200; i++) {
            assertThat(dev.pier.api.Names.problemWithApp(names.next())).isEmpty();
        }
    }
}
