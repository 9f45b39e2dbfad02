package dev.pier.slugbuilder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which buildpacks a build runs ({@code builder/lib/buildpacks.sh}). */
class BuildpackListTest {
    private static final String LIB = "builder/lib/buildpacks.sh";

    @TempDir
    Path temp;

    private String builtin(String name) {
        Bash.Result result = Bash.run(LIB, "builtin_buildpack '" + name + "' || echo \"none ($?)\"");
        return result.stdout().strip();
    }

    @Test
    void theBuiltInsAnswerToTheirNamesHerokusShortNamesAndHerokusRepositories() {
        assertThat(builtin("nodejs")).isEqualTo("nodejs");
        assertThat(builtin("heroku/nodejs")).isEqualTo("nodejs");
        assertThat(builtin("https://github.com/heroku/heroku-buildpack-nodejs")).isEqualTo("nodejs");
        assertThat(builtin("https://github.com/heroku/heroku-buildpack-nodejs.git")).isEqualTo("nodejs");
        assertThat(builtin("https://github.com/heroku/heroku-buildpack-nodejs#v250")).isEqualTo("nodejs");
        assertThat(builtin("heroku/java")).isEqualTo("java");
        assertThat(builtin("https://github.com/heroku/heroku-buildpack-java.git")).isEqualTo("java");
        assertThat(builtin("heroku/static")).isEqualTo("static");
        assertThat(builtin("procfile")).isEqualTo("procfile");
        assertThat(builtin("heroku/python")).isEqualTo("none (1)");
        assertThat(builtin("https://example.com/my-buildpack.tgz")).isEqualTo("none (1)");
    }

    @Test
    void aBuildpacksFileListsOneALineWithoutCommentsBlankLinesOrSpaces() throws Exception {
        Path file = temp.resolve(".buildpacks");
        Files.writeString(file, "# assets first\r\n  heroku/nodejs  \r\n\r\nhttps://github.com/heroku/heroku-buildpack-java\n"
                + "https://example.com/bp.tgz?sig=1");
        Bash.Result result = Bash.run(LIB, "buildpacks_file '" + file + "'");
        assertThat(result.stdout()).isEqualTo("heroku/nodejs\nhttps://github.com/heroku/heroku-buildpack-java\n"
                + "https://example.com/bp.tgz?sig=1\n");
    }

    @Test
    void anEntryIsABuiltInATarballAGitRepositoryOrNothingKnown() {
        assertThat(kind("java")).isEqualTo("builtin");
        assertThat(kind("https://example.com/bp.tgz")).isEqualTo("tarball");
        assertThat(kind("https://example.com/bp.tar.gz?expires=1&sig=abc")).isEqualTo("tarball");
        assertThat(kind("https://github.com/someone/heroku-buildpack-x.git#v2")).isEqualTo("git");
        assertThat(kind("git@github.com:someone/bp.git")).isEqualTo("git");
        assertThat(kind("ruby")).isEqualTo("unknown");
    }

    @Test
    void detectionTriesTheBuiltInsMostSpecificLast() {
        assertThat(Bash.run(LIB, "echo \"${BUILTIN_BUILDPACKS[*]}\"").stdout()).isEqualTo("procfile nodejs static java\n");
    }

    private String kind(String entry) {
        return Bash.run(LIB, "buildpack_kind '" + entry + "'").stdout().strip();
    }
}
