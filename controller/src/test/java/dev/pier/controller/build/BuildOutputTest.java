package dev.pier.controller.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.ProcessType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildOutputTest {
    private final List<String> shown = new ArrayList<>();
    private final BuildOutput output = new BuildOutput(shown::add);

    @Test
    void linesGoToThePusherAndTheResultLineIsTheVerdict() {
        output.line("-----> Node.js app detected");
        output.line("       added 57 packages\r");
        output.line("PIER-RESULT {\"slug_sha256\":\"" + "ab".repeat(32) + "\",\"slug_size\":123,"
                + "\"process_types\":{\"web\":\"npm start\",\"worker\":\"node w.js\"},\"buildpack\":\"nodejs\"}");

        assertThat(shown).containsExactly("-----> Node.js app detected", "       added 57 packages");
        var result = output.result().orElseThrow();
        assertThat(result.succeeded()).isTrue();
        assertThat(result.slugSize()).isEqualTo(123L);
        assertThat(result.buildpack()).isEqualTo("nodejs");
        assertThat(ReleasePlan.processes(result.processTypes())).containsExactly(
                Map.entry("web", ProcessType.web("npm start")), Map.entry("worker", ProcessType.worker("node w.js")));
    }

    @Test
    void aFailureSaysWhyAndKeepsTheLastLines() {
        for (int i = 0; i < 30; i++) {
            output.line("line " + i);
        }
        assertThat(output.failure()).contains("without a result");
        output.line("PIER-RESULT {\"error\":\"build failed: package.json is not valid JSON\"}");
        assertThat(output.result().orElseThrow().succeeded()).isFalse();
        assertThat(output.failure()).isEqualTo("build failed: package.json is not valid JSON");
        assertThat(output.lastLines()).hasSize(BuildOutput.KEEP).endsWith("line 29");

        BuildOutput garbled = new BuildOutput(shown::add);
        garbled.line("PIER-RESULT {not json");
        assertThat(garbled.result()).isEmpty();
        assertThat(garbled.failure()).contains("could not be read");
    }
}
