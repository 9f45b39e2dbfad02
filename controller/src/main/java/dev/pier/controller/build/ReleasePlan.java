package dev.pier.controller.build;

import dev.pier.api.ProcessType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A build's process types as a release's processes: {@code web} listens on {@code PORT}, the others do not. */
public final class ReleasePlan {
    private ReleasePlan() {
    }

    public static Map<String, ProcessType> processes(Map<String, String> processTypes) {
        Map<String, ProcessType> processes = new LinkedHashMap<>();
        new TreeMap<>(processTypes).forEach((type, command) ->
                processes.put(type, type.equals("web") ? ProcessType.web(command) : ProcessType.worker(command)));
        return processes;
    }
}
