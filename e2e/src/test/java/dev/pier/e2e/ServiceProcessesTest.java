package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.testkit.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code bin/pier-dev} knows a service it started still runs (bin/lib/process.sh): by its PID and that process's
 * start time. PIDs are reused (pid_max is 32768 on these machines): the PID of a machine's JVM killed by
 * {@code fault kill-machine} belonged to another process when {@code restore-machine} looked, which took that
 * process for the service, started nothing and failed the restore; {@code down} would have signalled it.
 */
class ServiceProcessesTest {
    private static final Path ROOT = PierCluster.repositoryRoot();

    @TempDir
    Path pids;

    /** {@code line} run by bash after sourcing bin/lib/process.sh, with {@code $pids} set: its output. */
    private String run(String line) {
        Command.Result result = Command.run(Duration.ofSeconds(30), List.of("bash", "-c",
                "set -e; source bin/lib/process.sh; pids=$1; set +e\n" + line, "process", pids.toString()), ROOT, Map.of());
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output().strip();
    }

    @Test
    void aServiceRunsWhileItsProcessDoesAndNotWhenAnotherProcessHasItsPid() throws Exception {
        String answers = run("""
                sleep 30 & service=$!
                echo $service >"$pids/svc.pid"; started_at $service >"$pids/svc.started"
                # another process, started in a later clock tick (10 ms) than the service: one started in the same
                # tick has the same start time, which a PID reused after the service's death never has
                sleep 30 & other=$!
                while [ "$(started_at $other)" = "$(started_at $service)" ]; do kill $other; sleep 30 & other=$!; done
                running svc && echo "own process: running" || echo "own process: not running"
                # the service died, and its PID went to another process (written as such: the other's PID, the
                # service's start time)
                echo $other >"$pids/svc.pid"
                running svc && echo "PID reused: running" || echo "PID reused: not running"
                kill $service $other; wait $service $other 2>/dev/null
                echo $service >"$pids/svc.pid"
                running svc && echo "dead: running" || echo "dead: not running"
                """);

        assertThat(answers.lines()).containsExactly("own process: running", "PID reused: not running",
                "dead: not running");
    }

    @Test
    void aServiceWithoutAStartTimeGoesByItsPidAloneAndAZombieIsNotAlive() throws Exception {
        String answers = run("""
                sleep 30 & service=$!
                echo $service >"$pids/old.pid"
                running old && echo "no start time: running" || echo "no start time: not running"
                kill $service
                # a zombie: dead, not yet reaped (its parent, exec'd into a sleep, never waits for it)
                ( sleep 0.1 & echo $! >"$pids/zombie"; exec sleep 30 ) & parent=$!
                sleep 1
                zombie=$(cat "$pids/zombie")
                echo "state $(awk '{print $3}' /proc/$zombie/stat)"
                alive $zombie && echo "zombie: alive" || echo "zombie: not alive"
                kill $parent
                running missing && echo "no PID file: running" || echo "no PID file: not running"
                """);

        assertThat(answers.lines()).containsExactly("no start time: running", "state Z", "zombie: not alive",
                "no PID file: not running");
        assertThat(Files.exists(pids.resolve("missing.pid"))).isFalse();
    }

    @Test
    void aStartTimeIsCountedPastACommandNameWithSpacesInIt() {
        // /proc/PID/stat's second field is the command name in parentheses, which may hold spaces: counted from the
        // left, the 22nd field of "a b) c"'s line is two fields off. Two processes started together started within a
        // second (100 clock ticks) of each other.
        String answers = run("""
                cp /bin/sleep "$pids/a b) c"
                "$pids/a b) c" 30 & spaced=$!
                sleep 30 & plain=$!
                apart=$(( $(started_at $plain) - $(started_at $spaced) ))
                [ "$apart" -ge 0 ] && [ "$apart" -lt 100 ] && echo "started together" || echo "apart: $apart"
                kill $spaced $plain
                """);

        assertThat(answers).isEqualTo("started together");
    }
}
