package dev.pier.controller.build;

import dev.pier.api.LogLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The output of a build under way, in memory: the builder's lines as they come, for any number of readers, each
 * of which gets every line from the first, in order, then the new ones until the build ends. Thread-safe; a
 * reader blocks only while it waits for lines. At most {@link #MAX_LINES} lines are kept (a build that prints
 * more is cut, and says so).
 */
public final class BuildLog {
    static final int MAX_LINES = 50_000;

    private final List<LogLine> lines = new ArrayList<>();
    private boolean ended;
    private boolean cut;

    public synchronized void append(LogLine line) {
        if (ended) {
            return;
        }
        if (lines.size() >= MAX_LINES) {
            if (!cut) {
                cut = true;
                lines.add(new LogLine(line.timestamp(), line.app(), line.processType(), line.jobId(), "stderr",
                        "pier: the build printed more than " + MAX_LINES + " lines; the rest is not kept"));
            }
            notifyAll();
            return;
        }
        lines.add(line);
        notifyAll();
    }

    /** No more lines: readers finish once they have read what there is. */
    public synchronized void end() {
        ended = true;
        notifyAll();
    }

    public synchronized boolean ended() {
        return ended;
    }

    public synchronized List<LogLine> lines() {
        return List.copyOf(lines);
    }

    /**
     * Gives {@code reader} every line from the first; with {@code follow}, then each new line until the log
     * ends or {@code open} says the reader left. {@code heartbeat} is called after every {@code idle} without a
     * line (to find out whether a client is still there).
     */
    public void read(boolean follow, Consumer<LogLine> reader, BooleanSupplier open, Duration idle, Runnable heartbeat)
            throws InterruptedException {
        int next = 0;
        while (open.getAsBoolean()) {
            List<LogLine> batch;
            boolean done;
            synchronized (this) {
                if (next >= lines.size() && !ended && follow) {
                    wait(idle.toMillis());
                }
                batch = next < lines.size() ? List.copyOf(lines.subList(next, lines.size())) : List.of();
                done = ended || !follow;
            }
            batch.forEach(reader);
            next += batch.size();
            if (batch.isEmpty() && done) {
                return;
            }
            if (batch.isEmpty()) {
                heartbeat.run();
            }
        }
    }
}
