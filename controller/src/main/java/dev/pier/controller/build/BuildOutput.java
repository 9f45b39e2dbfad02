package dev.pier.controller.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pier.api.Build;
import dev.pier.api.BuildResult;
import dev.pier.api.http.Json;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The slug builder's output as it streams by, as pure logic: every line goes on to the pusher except the
 * machine-readable {@code PIER-RESULT} line, which is kept as the verdict; the last lines are remembered
 * for the summary of a failure.
 */
public final class BuildOutput {
    static final int KEEP = 20;

    private final Consumer<String> pusher;
    private final Deque<String> last = new ArrayDeque<>();
    private BuildResult result;
    private String unreadable;

    public BuildOutput(Consumer<String> pusher) {
        this.pusher = pusher;
    }

    public void line(String text) {
        String line = text == null ? "" : text.stripTrailing();
        if (line.startsWith(Build.RESULT_PREFIX)) {
            try {
                result = Json.mapper().readValue(line.substring(Build.RESULT_PREFIX.length()), BuildResult.class);
            } catch (JsonProcessingException e) {
                unreadable = line;
            }
            return;
        }
        pusher.accept(line);
        last.addLast(line);
        if (last.size() > KEEP) {
            last.removeFirst();
        }
    }

    /** The builder's verdict, when it printed a readable one. */
    public Optional<BuildResult> result() {
        return Optional.ofNullable(result);
    }

    /** Why the build failed, in one line for the pusher: the builder's error, or what went missing. */
    public String failure() {
        if (result != null && result.error() != null) {
            return result.error();
        }
        if (unreadable != null) {
            return "the builder's result line could not be read: " + unreadable;
        }
        return "the build ended without a result (killed: out of memory, or out of time?)";
    }

    public List<String> lastLines() {
        return List.copyOf(last);
    }
}
