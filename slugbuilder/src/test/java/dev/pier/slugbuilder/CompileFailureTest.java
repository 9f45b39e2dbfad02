package dev.pier.slugbuilder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A buildpack's bin/compile that stops on a command nothing expected to fail (set -e) names that command in its
 * " !     " line, which the builder gives as the build's cause; one that explains its own failure says only that.
 * The scripts run on this machine's bash, as the builder runs them.
 */
class CompileFailureTest {
    @TempDir
    Path temp;

    record Compile(int exitCode, List<String> causes) {
    }

    private Compile compile(String buildpack, Path buildDir) throws IOException, InterruptedException {
        Path cache = Files.createDirectories(temp.resolve("cache"));
        Path env = Files.createDirectories(temp.resolve("env"));
        Process p = new ProcessBuilder("bash", Bash.MODULE.resolve("buildpacks/" + buildpack + "/bin/compile").toString(),
                buildDir.toString(), cache.toString(), env.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Compile(p.exitValue(), out.lines().filter(l -> l.startsWith(" !     ")).toList());
    }

    @Test
    void aCommandThatFailsUnexpectedlyNamesItself() throws Exception {
        Path missing = temp.resolve("no-such-app");
        for (String buildpack : List.of("nodejs", "java")) {
            Compile c = compile(buildpack, missing);
            assertThat(c.exitCode()).as(buildpack).isEqualTo(1);
            assertThat(c.causes()).as(buildpack)
                    .containsExactly(" !     bin/compile stopped: `cd \"$BUILD_DIR\"` exited 1");
        }
    }

    @Test
    void aFailureTheBuildpackExplainsIsGivenAsItSaidIt() throws Exception {
        Path gradleApp = Files.createDirectories(temp.resolve("gradle-app"));
        Files.writeString(gradleApp.resolve("build.gradle"), "plugins { id 'java' }\n");
        Compile c = compile("java", gradleApp);
        assertThat(c.exitCode()).isEqualTo(1);
        assertThat(c.causes()).hasSize(1);
        assertThat(c.causes().get(0)).startsWith(" !     Gradle builds are not supported yet");
    }
}
