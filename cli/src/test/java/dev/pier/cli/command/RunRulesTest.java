package dev.pier.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.JobState;
import dev.pier.api.attach.JobExit;
import dev.pier.cli.UserError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure rules of {@code pier run}: the exit status it exits with, and its {@code -e} config vars. */
class RunRulesTest {

    @Test
    void exitsWithTheJobsExitStatusAndExplainsAJobThatNeverRan() {
        assertThat(AttachedRun.exitCode("j", new JobExit(0, JobState.DOWN, "exited with status 0"))).isZero();
        assertThat(AttachedRun.exitCode("j", new JobExit(3, JobState.CRASHED, "exited with status 3"))).isEqualTo(3);
        assertThat(AttachedRun.exitCode("j", new JobExit(137, JobState.CRASHED, "out of memory"))).isEqualTo(137);
        assertThat(AttachedRun.exitCode("j", new JobExit(-1, JobState.CRASHED, null))).isEqualTo(1);
        assertThatThrownBy(() -> AttachedRun.exitCode("shop-run-1", new JobExit(null, JobState.FAILED,
                "cannot run the command: exec: \"nope\": executable file not found in $PATH")))
                .isInstanceOf(UserError.class)
                .hasMessage("job shop-run-1 failed: cannot run the command: exec: \"nope\": executable file not found in $PATH");
    }

    @Test
    void configVarsAreNameEqualsValue() {
        assertThat(Assignments.parse(List.of("A=1", "B=x=y", "C="))).containsExactly(
                java.util.Map.entry("A", "1"), java.util.Map.entry("B", "x=y"), java.util.Map.entry("C", ""));
        assertThatThrownBy(() -> Assignments.parse(List.of("=1"))).hasMessage("'=1' is not NAME=VALUE");
        assertThatThrownBy(() -> Assignments.parse(List.of("1A=1"))).isInstanceOf(UserError.class).hasMessageContaining("1A");
    }
}
