package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.testkit.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether {@code bin/pier-dev up} builds the jars (bin/lib/build.sh), on a made-up tree. The build is reproducible,
 * so every jar carries the same old modification time (2026-01-01): compared by it, every source looked newer and
 * {@code up} on a tree the reactor had just built (the e2e suite's, CI's) made every jar again.
 */
class BuildFreshnessTest {
    private static final Path ROOT = PierCluster.repositoryRoot();

    @TempDir
    Path tree;

    @TempDir
    Path state;

    /**
     * {@code line} run by bash in a tree with a source, a test source and every jar {@code built_jars} names
     * (written after the sources, then dated 2026-01-01 as the build dates them), after sourcing bin/lib/build.sh:
     * its output.
     */
    private String run(String line) {
        String script = """
                set -e; source "$1/bin/lib/build.sh"; root=$2; state=$3; cd "$root"
                mkdir -p api/src/main/java api/src/test/java
                echo 'class A {}' >api/src/main/java/A.java; echo 'class ATest {}' >api/src/test/java/ATest.java
                sleep 0.05
                while read -r jar; do mkdir -p "$(dirname "$jar")"; echo jar >"$jar"; touch -d 2026-01-01 "$jar"; done < <(built_jars)
                sleep 0.05
                """ + line;
        Command.Result result = Command.run(Duration.ofSeconds(30), List.of("bash", "-c", script, "build",
                ROOT.toString(), tree.toString(), state.toString()), ROOT, Map.of());
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output().strip();
    }

    @Test
    void aTreeBuiltAfterItsSourcesIsUpToDateThoughEveryJarIsDatedTheReproducibleBuildsDay() {
        assertThat(run("echo \"changed: [$(changed_source \"$(built_at)\")]\"")).isEqualTo("changed: []");
    }

    @Test
    void aSourceChangedAfterTheBuildIsFoundAndAChangedTestIsNot() {
        assertThat(run("""
                echo 'class ATest { }' >api/src/test/java/ATest.java
                echo "test changed: [$(changed_source "$(built_at)")]"
                echo 'class A { }' >api/src/main/java/A.java
                echo "source changed: [$(changed_source "$(built_at)")]"
                """).lines()).containsExactly("test changed: []", "source changed: [" + tree + "/api/src/main/java/A.java]");
    }

    @Test
    void aMissingJarLeavesNoBuildTimeSoUpBuilds() {
        assertThat(run("rm machine/target/pier-machine.jar; echo \"built at: [$(built_at)]\""))
                .isEqualTo("built at: []");
    }

    @Test
    void aStateDirectoryGoesByItsLastBuildNotByTheJars() {
        assertThat(run("""
                echo 'class A { }' >api/src/main/java/A.java
                sleep 0.05; touch "$state/build.stamp"
                echo "after the stamp: [$(changed_source "$(built_at)")]"
                """)).isEqualTo("after the stamp: []");
    }
}
