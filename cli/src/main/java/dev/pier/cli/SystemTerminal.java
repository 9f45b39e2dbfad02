package dev.pier.cli;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * This process's stdin and stdout, unbuffered; the controlling terminal ({@code /dev/tty}) is driven with
 * {@code stty}, as {@code docker run -it} does, and resizes arrive as {@code SIGWINCH}.
 */
public final class SystemTerminal implements Terminal {
    private static final File TTY = new File("/dev/tty");

    private final InputStream in = new FileInputStream(FileDescriptor.in);
    private final OutputStream out = new FileOutputStream(FileDescriptor.out);

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    @Override
    public boolean isTerminal() {
        return System.console() != null; // Java 17: stdin and stdout are both a terminal
    }

    @Override
    public Optional<Size> size() {
        return stty("size").flatMap(SystemTerminal::parseSize);
    }

    /** {@code stty size}'s answer, {@code "ROWS COLUMNS"}; empty when the terminal has no size (0 0). */
    static Optional<Size> parseSize(String answer) {
        String[] parts = answer.strip().split("\\s+");
        if (parts.length != 2 || !parts[0].matches("[0-9]{1,4}") || !parts[1].matches("[0-9]{1,4}")) {
            return Optional.empty();
        }
        int rows = Integer.parseInt(parts[0]);
        int columns = Integer.parseInt(parts[1]);
        return rows > 0 && columns > 0 ? Optional.of(new Size(columns, rows)) : Optional.empty();
    }

    @Override
    public Restore raw() {
        Optional<String> saved = stty("-g").map(String::strip).filter(s -> !s.isEmpty());
        if (saved.isEmpty() || stty("raw", "-echo").isEmpty()) {
            return Restore.NOTHING;
        }
        Thread restoreOnExit = new Thread(() -> stty(saved.get()), "pier-restore-terminal");
        Runtime.getRuntime().addShutdownHook(restoreOnExit);
        return () -> {
            stty(saved.get());
            try {
                Runtime.getRuntime().removeShutdownHook(restoreOnExit);
            } catch (IllegalStateException exiting) {
                // The hook restores it again: harmless.
            }
        };
    }

    @Override
    public Restore onResize(Runnable listener) {
        try {
            sun.misc.Signal winch = new sun.misc.Signal("WINCH");
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(winch, signal -> listener.run());
            return () -> sun.misc.Signal.handle(winch, previous);
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            return Restore.NOTHING; // no SIGWINCH here: the first size stays
        }
    }

    /** Runs {@code stty args} on the controlling terminal; its output, or empty when it failed. */
    private static Optional<String> stty(String... args) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("stty"));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectInput(TTY)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(output) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
