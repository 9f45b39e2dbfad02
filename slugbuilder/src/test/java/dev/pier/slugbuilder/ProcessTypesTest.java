package dev.pier.slugbuilder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The slug builder's Procfile and bin/release handling ({@code builder/lib/process-types.sh}). */
class ProcessTypesTest {
    private static final String LIB = "builder/lib/process-types.sh";

    @TempDir
    Path temp;

    private Bash.Result procfile(String content) throws Exception {
        Path file = temp.resolve("Procfile");
        Files.writeString(file, content);
        return Bash.run(LIB, "procfile_types \"$1\"".replace("$1", file.toString()));
    }

    @Test
    void procfileTypesInTheirOrderWithCommentsBlankAndOtherLinesIgnored() throws Exception {
        Bash.Result result = procfile("""
                # the app's processes
                web: node server.js --port $PORT

                worker:   node worker.js   \s
                not a process line
                clock:bin/clock && echo done""");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                web: node server.js --port $PORT
                worker: node worker.js
                clock: bin/clock && echo done
                """);
    }

    @Test
    void aProcfileWrittenOnWindowsReadsTheSame() throws Exception {
        Bash.Result result = procfile("web: npm start\r\nworker: node w.js\r\n");
        assertThat(result.stdout()).isEqualTo("web: npm start\nworker: node w.js\n");
    }

    @Test
    void aTypeNamedTwiceKeepsItsFirstPlaceAndItsLastCommand() throws Exception {
        Bash.Result result = procfile("web: one\nworker: w\nweb: two\n");
        assertThat(result.stdout()).isEqualTo("web: two\nworker: w\n");
    }

    @Test
    void aTypeWithNoCommandIsAnErrorNamingItsLine() throws Exception {
        Bash.Result result = procfile("web: npm start\n\nworker:   \n");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo(
                "Procfile line 3: process type 'worker' has no command (write it as 'worker: <command>')\n");
    }

    @Test
    void aTypeNameThePlatformCannotTakeIsAnError() throws Exception {
        Bash.Result result = procfile("Web: npm start\n");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("Procfile line 1: process type 'Web' is invalid: use 1 to 30 lowercase");
        assertThat(procfile("web.1: x\n").stderr()).contains("process type 'web.1' is invalid");
    }

    @Test
    void anEmptyProcfileHasNoTypes() throws Exception {
        Bash.Result result = procfile("");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void releaseDefaultProcessTypesAreReadFromTheYamlOfBinRelease() {
        String release = """
                ---
                addons: []
                config_vars:
                  PATH: /app/bin:/usr/bin
                default_process_types:
                  web: java -Dserver.port=$PORT -jar target/app.jar
                  worker: "node worker.js \\"fast\\""
                  clock: 'bin/clock ''now'''
                """;
        Bash.Result types = Bash.run(LIB, "release_section default_process_types", release);
        assertThat(types.stdout()).isEqualTo("""
                web: java -Dserver.port=$PORT -jar target/app.jar
                worker: node worker.js "fast"
                clock: bin/clock 'now'
                """);
        Bash.Result vars = Bash.run(LIB, "release_section config_vars", release);
        assertThat(vars.stdout()).isEqualTo("PATH: /app/bin:/usr/bin\n");
    }

    @Test
    void anEmptyOrAbsentSectionGivesNothing() {
        assertThat(Bash.run(LIB, "release_section default_process_types", "---\ndefault_process_types: {}\n").stdout())
                .isEmpty();
        assertThat(Bash.run(LIB, "release_section default_process_types", "---\naddons: []\n").stdout()).isEmpty();
        assertThat(Bash.run(LIB, "release_section default_process_types", "").stdout()).isEmpty();
    }

    @Test
    void theProcfileWinsOverTheBuildpacksDefaultsWhichFillInTheRest() {
        Bash.Result merged = Bash.run(LIB, "merge_entries \"$(printf 'worker: w\\nweb: mine\\n')\" "
                + "\"$(printf 'web: npm start\\nclock: c\\n')\"");
        assertThat(merged.stdout()).isEqualTo("worker: w\nweb: mine\nclock: c\n");
        assertThat(Bash.run(LIB, "merge_entries '' 'web: npm start'").stdout()).isEqualTo("web: npm start\n");
        assertThat(Bash.run(LIB, "merge_entries 'web: x' ''").stdout()).isEqualTo("web: x\n");
    }

    @Test
    void processTypesAsJsonKeepTheirOrderAndEscapeWhatJsonNeeds() {
        Bash.Result json = Bash.run(LIB, "process_types_json \"$(cat)\"",
                "web: echo \"hi\" \\ there\tnow\nworker: node w.js\n");
        assertThat(json.stdout()).isEqualTo("{\"web\":\"echo \\\"hi\\\" \\\\ there\\tnow\",\"worker\":\"node w.js\"}");
        assertThat(Bash.run(LIB, "process_types_json ''").stdout()).isEqualTo("{}");
        assertThat(Bash.run(LIB, "process_types_summary \"$(printf 'web: a\\nworker: b\\n')\"").stdout())
                .isEqualTo("web -> a, worker -> b");
        assertThat(Bash.run(LIB, "process_types_summary ''").stdout()).isEqualTo("none");
    }

    @Test
    void buildpackConfigVarsBecomeDefaultsThatTheAppsOwnConfigVarsOverride() throws Exception {
        Path profile = temp.resolve("000-buildpack-config-vars.sh");
        Bash.Result written = Bash.run(LIB, "config_vars_profile \"$(printf 'GREETING: hello $USER\\n"
                + "MODE: fast\\nnot-a-name: x\\n')\" > '" + profile + "'");
        assertThat(written.exitCode()).isZero();
        assertThat(Files.readString(profile)).doesNotContain("not-a-name");
        Bash.Result sourced = Bash.run(List.of(), ". '" + profile + "'; echo \"$GREETING|$MODE\"", "", null,
                Map.of("MODE", "the app's"));
        assertThat(sourced.stdout()).isEqualTo("hello $USER|the app's\n");
    }
}
