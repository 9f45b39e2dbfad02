package dev.pier.e2e;

import dev.pier.testkit.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A person at a terminal: runs a command in a pseudo-terminal (python3's {@code pty}, see {@code terminal.py}),
 * waits for what it shows and types the next line, as one would at a keyboard.
 */
final class Terminal {
    private final Path script;

    Terminal(Path directory) {
        script = directory.resolve("terminal.py");
        try (InputStream in = Terminal.class.getResourceAsStream("/terminal.py")) {
            Files.copy(in, script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the terminal showed, ending with "exit status N" (the command's), or why it gave up. */
    record Session(String shown) {
    }

    /**
     * Runs {@code command} in a terminal; {@code dialogue} alternates what to wait for and what to type next.
     * Gives up after {@code timeout}.
     */
    Session run(Duration timeout, List<String> dialogue, List<String> command, Path directory, Map<String, String> env) {
        List<String> python = new ArrayList<>(List.of("python3", script.toString(), String.valueOf(timeout.toSeconds())));
        python.addAll(dialogue);
        python.add("--");
        python.addAll(command);
        Command.Result result = Command.run(timeout.plusSeconds(30), python, directory, env);
        System.out.println("terminal session of " + String.join(" ", command) + ":\n" + result.output());
        return new Session(result.output());
    }
}
