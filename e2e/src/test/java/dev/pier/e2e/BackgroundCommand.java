package dev.pier.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command left running in the background (as {@code pier log -f} is), its output collected in a file that can
 * be read while it runs. {@link #close()} ends it, by its own process handle, if it has not ended.
 */
final class BackgroundCommand implements AutoCloseable {
    private final Process process;
    private final Path output;
    private final String description;

    private BackgroundCommand(Process process, Path output, String description) {
        this.process = process;
        this.output = output;
        this.description = description;
    }

    static BackgroundCommand start(List<String> command, Path directory, Map<String, String> env, Path output) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(env);
        try {
            return new BackgroundCommand(builder.start(), output, String.join(" ", command));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** What it has printed so far. */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        System.out.println("output of " + description + ":\n" + output());
    }
}
