package dev.pier.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command to completion with a deadline; a failure carries the command's output. */
public final class Command {
    private Command() {
    }

    public record Result(int exitCode, String output) {
    }

    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, command, null, java.util.Map.of());
    }

    /** Runs in {@code directory} (the current one when null) with {@code env} added to this process's. */
    public static Result run(Duration timeout, List<String> command, Path directory, java.util.Map<String, String> env) {
        try {
            Path out = Files.createTempFile("pier-cmd", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
                if (directory != null) {
                    builder.directory(directory.toFile());
                }
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s: "
                            + String.join(" ", command));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Runs and requires exit code 0. */
    public static String check(Duration timeout, List<String> command) {
        Result result = run(timeout, command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("'" + String.join(" ", command) + "' exited " + result.exitCode()
                    + ":\n" + result.output());
        }
        return result.output();
    }

    /** Whether we run as root, where servers that refuse root must run as another user. */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Prefixes {@code command} so that it runs as {@code user} when we are root. */
    public static List<String> as(String user, List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", user, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Finds an executable on PATH, or null. */
    public static Path which(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
