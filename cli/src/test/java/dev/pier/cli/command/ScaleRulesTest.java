package dev.pier.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.Job;
import dev.pier.api.JobState;
import dev.pier.api.OutOfMemory;
import dev.pier.cli.UserError;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code pier scale TYPE=COUNT[:SIZE]} arguments, and what {@code pier ps} says about the last crash of a type. */
class ScaleRulesTest {

    @Test
    void countsAndSizesAreReadAsPeopleWriteThem() {
        ScaleCommand.Changes changes = ScaleCommand.parse(List.of("web=2:512M", "worker=1", "clock=1:1G",
                "big=1:1.5g", "plain=0:300", "mb=1:768MB"));
        assertThat(changes.counts()).containsExactly(Map.entry("web", 2), Map.entry("worker", 1), Map.entry("clock", 1),
                Map.entry("big", 1), Map.entry("plain", 0), Map.entry("mb", 1));
        assertThat(changes.memoryMb()).containsExactly(Map.entry("web", 512), Map.entry("clock", 1024),
                Map.entry("big", 1536), Map.entry("plain", 300), Map.entry("mb", 768));
    }

    @Test
    void aBadSizeIsOneLineNamingTheArgument() {
        assertThatThrownBy(() -> ScaleCommand.parse(List.of("web=2:lots"))).isInstanceOf(UserError.class)
                .hasMessage("invalid scale argument 'web=2:lots': the size must be like 512M or 1G, not 'lots'");
        assertThatThrownBy(() -> ScaleCommand.parse(List.of("web=2:8M")))
                .hasMessage("invalid scale argument 'web=2:8M': the size must be between 32 MB and 64 GB");
        assertThatThrownBy(() -> ScaleCommand.parse(List.of("web=2:128G")))
                .hasMessageContaining("between 32 MB and 64 GB");
        assertThatThrownBy(() -> ScaleCommand.parse(List.of("web=x:512M")))
                .hasMessageContaining("the count must be a whole number from 0 to 100");
        assertThatThrownBy(() -> ScaleCommand.parse(List.of("web")))
                .hasMessageContaining("expected TYPE=COUNT[:SIZE]");
    }

    @Test
    void sizesArePrintedBackInTheirShortestForm() {
        assertThat(ScaleCommand.size(512)).isEqualTo("512M");
        assertThat(ScaleCommand.size(1024)).isEqualTo("1G");
        assertThat(ScaleCommand.size(1536)).isEqualTo("1536M");
    }

    private static Job job(String id, String type, JobState state, String reason, Instant updated) {
        return new Job(id, "shop", UUID.randomUUID(), type, "h1", state, reason, 137, 0, null, null, updated, updated,
                256);
    }

    @Test
    void psSaysWhyATypesLastJobEndedWhenItWasKilledOrCrashedLately() {
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        List<Job> jobs = List.of(
                job("web-old", "web", JobState.CRASHED, "exited with status 1", now.minusSeconds(300)),
                job("web-oom", "web", JobState.CRASHED, OutOfMemory.reason(256), now.minusSeconds(20)),
                job("web-new", "web", JobState.STARTING, null, now.minusSeconds(5)),
                job("worker-a", "worker", JobState.CRASHED, "exited with status 2", now.minusSeconds(7200)),
                job("clock-a", "clock", JobState.DOWN, "stopped", now.minusSeconds(10)));
        assertThat(PsCommand.lastCrashes(jobs, now)).singleElement().satisfies(line -> assertThat(line)
                .isEqualTo("web: web-oom was killed: out of memory: over its 256 MB limit (20s ago)"));
    }
}
