package dev.pier.slugbuilder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Node.js buildpack's pure version choices ({@code buildpacks/nodejs/lib/versions.sh}). */
class NodeVersionsTest {
    private static final String LIB = "buildpacks/nodejs/lib/versions.sh";

    @TempDir
    Path temp;

    private String bundledNpm(String node) {
        return Bash.run(LIB, "bundled_npm " + node).stdout().strip();
    }

    @Test
    void eachNodeLineGetsTheNpmItsOfficialReleaseBundles() {
        assertThat(bundledNpm("0.10.48")).isEqualTo("2");
        assertThat(bundledNpm("0.12.18")).isEqualTo("2");
        assertThat(bundledNpm("4.9.1")).isEqualTo("2");
        assertThat(bundledNpm("6.17.1")).isEqualTo("3");
        assertThat(bundledNpm("8.17.0")).isEqualTo("6");
        assertThat(bundledNpm("9.11.2")).isEqualTo("5");
        assertThat(bundledNpm("14.21.3")).isEqualTo("6");
        assertThat(bundledNpm("16.20.2")).isEqualTo("8");
        assertThat(bundledNpm("18.12.0")).isEqualTo("9");
        assertThat(bundledNpm("18.20.8")).isEqualTo("10");
        assertThat(bundledNpm("22.12.0")).isEqualTo("10");
        assertThat(bundledNpm("26.12.1")).isEqualTo("10");
    }

    @Test
    void theHighestVersionIsFoundWhateverOrderTheRegistryListsThemIn() {
        // the registry lists versions in the order they were published: 0.10.10 came after 0.10.48 in the array
        assertThat(Bash.run(LIB, "highest_version", "0.10.1\n0.10.0\n0.10.48\n0.10.10\n").stdout()).isEqualTo("0.10.48\n");
        assertThat(Bash.run(LIB, "highest_version", "4.0.0-rc.1\n4.0.0\n").stdout()).isEqualTo("4.0.0\n");
        assertThat(Bash.run(LIB, "highest_version", "4.0.0-rc.1\n").stdout()).isEqualTo("4.0.0-rc.1\n");
        assertThat(Bash.run(LIB, "highest_version", "22.9.0\n22.12.0\n").stdout()).isEqualTo("22.12.0\n");
    }

    @Test
    void pnpmIsChosenByTheLockfilesVersion() throws Exception {
        assertThat(pnpmFor("lockfileVersion: '9.0'\n")).isEqualTo("10");
        assertThat(pnpmFor("lockfileVersion: '6.0'\n")).isEqualTo("8");
        assertThat(pnpmFor("lockfileVersion: 5.4\n")).isEqualTo("7");
        assertThat(pnpmFor("settings: {}\n")).isEqualTo("10");
    }

    @Test
    void aPackagesVersionIsReadFromItsPackageJson() throws Exception {
        Files.writeString(temp.resolve("package.json"), "{\n  \"name\": \"npm\",\n  \"version\": \"10.9.9\"\n}\n");
        assertThat(Bash.run(LIB, "package_version '" + temp + "'").stdout()).isEqualTo("10.9.9\n");
        assertThat(Bash.run(LIB, "package_version '" + temp.resolve("none") + "'").stdout()).isEmpty();
    }

    private String pnpmFor(String lockfile) throws Exception {
        Path file = temp.resolve("pnpm-lock.yaml");
        Files.writeString(file, lockfile);
        return Bash.run(LIB, "pnpm_for_lockfile '" + file + "'").stdout().strip();
    }
}
