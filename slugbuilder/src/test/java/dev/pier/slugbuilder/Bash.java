package dev.pier.slugbuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a bash snippet that sources files of the slug builder (its libraries, the buildpacks' helpers and .profile.d
 * scripts), for unit tests of what they compute: stdin given, stdout and stderr kept apart.
 */
final class Bash {
    /** The slugbuilder module's directory (where Maven runs the tests). */
    static final Path MODULE = Path.of("").toAbsolutePath();

    record Result(int exitCode, String stdout, String stderr) {
    }

    private Bash() {
    }

    /** {@code script} run by {@code bash -c} in {@code directory}, after sourcing {@code sources} (module paths). */
    static Result run(List<String> sources, String script, String stdin, Path directory, Map<String, String> env) {
        StringBuilder full = new StringBuilder("set -uo pipefail\n");
        for (String source : sources) {
            full.append(". '").append(MODULE.resolve(source)).append("' || exit 99\n");
        }
        full.append(script);
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", full.toString());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(env);
            Path out = Files.createTempFile("bash-out", ".txt");
            Path err = Files.createTempFile("bash-err", ".txt");
            try {
                Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
                process.getOutputStream().close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("bash did not finish in 30 s: " + script);
                }
                return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Result run(String source, String script, String stdin) {
        return run(List.of(source), script, stdin, null, Map.of());
    }

    static Result run(String source, String script) {
        return run(source, script, "");
    }
}
