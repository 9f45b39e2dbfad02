package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A volume in the cluster view ({@code GET /volumes} of the controller): its name, the host that holds it and
 * whether that host is lost, the app and process type it was made for, the path it is mounted at, the size hint,
 * when it was made, and the job using it now ({@code jobId}, null when none).
 */
public record Volume(
        @JsonProperty(required = true) String name,
        @JsonProperty(required = true) String hostId,
        @JsonProperty(required = true) boolean hostLost,
        String app,
        String processType,
        String path,
        Integer sizeMb,
        Instant createdAt,
        String jobId) {
}
