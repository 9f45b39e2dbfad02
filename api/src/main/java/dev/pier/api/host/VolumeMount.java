package dev.pier.api.host;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A named volume of the job's host mounted at {@code path} in its container ({@link JobSpec#volumes}). The agent
 * creates the volume when its host has none of that name, and keeps it until told to delete it. {@code sizeMb}:
 * the size hint recorded with a volume created for this mount (not enforced; optional).
 */
public record VolumeMount(@JsonProperty(required = true) String name, @JsonProperty(required = true) String path,
                          Integer sizeMb) {

    public VolumeMount(String name, String path) {
        this(name, path, null);
    }
}
