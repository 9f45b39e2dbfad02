package dev.pier.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The user's side of {@code pier run}: stdin, stdout as raw bytes and, when both are a terminal, its size, raw
 * mode and resizes. {@link SystemTerminal} is the real one.
 */
public interface Terminal {
    InputStream in();

    OutputStream out();

    /** Whether stdin and stdout are a terminal: then the job gets a TTY of its own. */
    boolean isTerminal();

    /** The terminal's size, when it has one. */
    Optional<Size> size();

    /**
     * Puts the terminal in raw mode (keys go to the job as typed: no echo, no line editing, Ctrl-C a byte);
     * closing the handle restores it.
     */
    Restore raw();

    /** Calls {@code listener} whenever the terminal is resized, until the handle is closed. */
    Restore onResize(Runnable listener);

    /** A size in character cells. */
    record Size(int columns, int rows) {
    }

    /** Undoes a change to the terminal; never throws. */
    interface Restore extends AutoCloseable {
        Restore NOTHING = () -> { };

        @Override
        void close();
    }
}
