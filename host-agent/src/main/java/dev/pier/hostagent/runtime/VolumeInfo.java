package dev.pier.hostagent.runtime;

import java.util.Map;

/** A named volume of the runtime's host: its name (the runtime's own is hidden) and its labels. */
public record VolumeInfo(String name, Map<String, String> labels) {
    public VolumeInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
