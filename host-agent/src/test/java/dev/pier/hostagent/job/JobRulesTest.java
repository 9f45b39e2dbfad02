package dev.pier.hostagent.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.HealthCheck;
import dev.pier.api.JobState;
import dev.pier.api.host.JobSpec;
import dev.pier.hostagent.runtime.ContainerInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The agent's pure rules: spec checks, how an exit ends a job, port picking. */
class JobRulesTest {
    private static final JobSpec OK = JobSpec.of("job-1", "shop", "web", "pier/stack-run:abc", List.of("true"));

    private static String field(JobSpec spec) {
        return JobSpecCheck.problem(spec, 1024).map(JobSpecCheck.Problem::field).orElse(null);
    }

    @Test
    void acceptsAValidSpecAndNamesTheFieldOfABadOne() {
        assertThat(JobSpecCheck.problem(OK, 1024)).isEmpty();
        assertThat(JobSpecCheck.problem(OK.withPort(8080).withMemoryMb(256).withEnv(Map.of("A_B", "c"))
                .withHealthCheck(HealthCheck.http("/health").withGrace(10)), 1024)).isEmpty();
        assertThat(field(JobSpec.of("../x", "shop", "web", "img", List.of()))).isEqualTo("id");
        assertThat(field(JobSpec.of("Job-1", "shop", "web", "img", List.of()))).isEqualTo("id");
        assertThat(field(JobSpec.of("j", "shop", "Web!", "img", List.of()))).isEqualTo("process_type");
        assertThat(field(JobSpec.of("j", "shop", "web", "IMG with space", List.of()))).isEqualTo("image");
        assertThat(field(OK.withEnv(Map.of("A-B", "x")))).isEqualTo("env");
        assertThat(field(OK.withEnv(Map.of("A", "nul\0")))).isEqualTo("env");
        assertThat(field(OK.withMemoryMb(4096))).isEqualTo("memory_mb");
        assertThat(field(OK.withPort(0))).isEqualTo("port");
        assertThat(field(OK.withHealthCheck(HealthCheck.http("/x").withGrace(5)))).isEqualTo("health_check");
        assertThat(field(OK.withPort(80).withHealthCheck(HealthCheck.http("no-slash").withGrace(5)))).isEqualTo("health_check.path");
        assertThat(field(OK.withPort(80).withHealthCheck(HealthCheck.http("/").withGrace(0))))
                .isEqualTo("health_check.grace_seconds");
        assertThat(field(OK.withPort(80).withHealthCheck(HealthCheck.http("/").withStatus(700))))
                .isEqualTo("health_check.status");
        assertThat(field(OK.withPort(80).withHealthCheck(HealthCheck.http("/").withInterval(0))))
                .isEqualTo("health_check.interval_seconds");
        assertThat(field(OK.withTty(true, false))).isEqualTo("tty");
        assertThat(field(JobSpec.of("j", "shop", "web", "img", List.of("a\0b")))).isEqualTo("command");
    }

    private static ContainerInfo exited(Integer code, boolean oom) {
        return new ContainerInfo("j", "c", "img", ContainerInfo.Status.EXITED, code, oom, null, Instant.EPOCH,
                Instant.EPOCH, null, Map.of());
    }

    @Test
    void anExitEndsAJobByWhyItExited() {
        assertThat(JobEnding.of(exited(0, false), false, null)).isEqualTo(new JobEnding(JobState.DOWN,
                "exited with status 0", 0));
        assertThat(JobEnding.of(exited(3, false), false, null)).isEqualTo(new JobEnding(JobState.CRASHED,
                "exited with status 3", 3));
        assertThat(JobEnding.of(exited(137, true), false, 32).reason()).isEqualTo("out of memory: over its 32 MB limit");
        assertThat(JobEnding.of(exited(137, true), false, null).reason()).isEqualTo("out of memory: killed by the kernel");
        assertThat(JobEnding.of(exited(137, false), true, null)).isEqualTo(new JobEnding(JobState.DOWN, "stopped", 137));
        ContainerInfo never = new ContainerInfo("j", "c", "img", ContainerInfo.Status.CREATED, null, false,
                "exec: \"x\": executable file not found", null, null, null, Map.of());
        assertThat(JobEnding.of(never, false, null).state()).isEqualTo(JobState.FAILED);
    }

    /**
     * The engine can report an OOM-killed container's exit before it flags the OOM kill (CI once reported such a job
     * "exited with status 137"): only an unasked-for SIGKILL not yet flagged is looked at again.
     */
    @Test
    void anUnflaggedSigkillIsLookedAtAgainBeforeItIsCalledACrash() {
        assertThat(JobEnding.mayYetTurnOutOutOfMemory(exited(137, false), false)).isTrue();
        assertThat(JobEnding.mayYetTurnOutOutOfMemory(exited(137, true), false)).as("flagged already").isFalse();
        assertThat(JobEnding.mayYetTurnOutOutOfMemory(exited(137, false), true)).as("a stop asked for").isFalse();
        assertThat(JobEnding.mayYetTurnOutOutOfMemory(exited(3, false), false)).as("not a SIGKILL").isFalse();
        assertThat(JobEnding.mayYetTurnOutOutOfMemory(exited(0, false), false)).isFalse();
    }

    @Test
    void picksTheNextFreePortOfTheRangeAndWraps() {
        PortRange range = PortRange.parse("p", "20000-20002");
        assertThat(range.pick(Set.of(), 19999, p -> true)).contains(20000);
        assertThat(range.pick(Set.of(20001), 20000, p -> true)).contains(20002);
        assertThat(range.pick(Set.of(), 20002, p -> true)).contains(20000);
        assertThat(range.pick(Set.of(20000), 20002, p -> p != 20001)).contains(20002);
        assertThat(range.pick(Set.of(20000, 20001, 20002), 19999, p -> true)).isEmpty();
        assertThatThrownBy(() -> PortRange.parse("pier.host-agent.port-range", "9-x"))
                .hasMessageContaining("pier.host-agent.port-range");
        assertThatThrownBy(() -> PortRange.parse("pier.host-agent.port-range", "30000-20000"))
                .hasMessageContaining("pier.host-agent.port-range");
    }
}
