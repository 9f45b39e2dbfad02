package dev.pier.hostagent.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pier.api.host.JobSpec;
import dev.pier.api.http.Json;
import dev.pier.hostagent.runtime.ContainerInfo;
import dev.pier.hostagent.runtime.ContainerSpec;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a job is written onto its container and read back from it: the container's spec (with {@code PORT}, the
 * memory limit, and the job's spec and creation time as labels), so that a restarted agent rebuilds its table
 * from the runtime's containers alone. Pure.
 */
public final class JobContainers {
    /** The label holding the job's spec as JSON, so a restarted agent knows what it runs. */
    public static final String LABEL_SPEC = "pier.spec";
    /** The label holding when the job was created (ISO-8601). */
    public static final String LABEL_CREATED = "pier.created";

    private JobContainers() {
    }

    /** The container to create for a job of the table, published on the bind address only. */
    public static ContainerSpec containerSpec(JobTable.Entry entry) {
        return containerSpec(entry, null);
    }

    /**
     * The container to create for a job of the table, with its volumes mounted; a port is published on
     * {@code alsoPublishOn} too when given (a fixed port's job address).
     */
    public static ContainerSpec containerSpec(JobTable.Entry entry, String alsoPublishOn) {
        JobSpec spec = entry.spec();
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        if (spec.port() != null) {
            env.put("PORT", String.valueOf(spec.port()));
        }
        Map<String, String> labels = new HashMap<>();
        try {
            labels.put(LABEL_SPEC, Json.mapper().writeValueAsString(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the spec of job " + spec.id(), e);
        }
        labels.put(LABEL_CREATED, entry.job().createdAt().toString());
        return new ContainerSpec(spec.id(), spec.app(), spec.releaseId() == null ? null : spec.releaseId().toString(),
                spec.processType(), spec.image(), spec.entrypoint(), spec.command(), env,
                spec.memoryMb() == null ? null : spec.memoryMb() * 1024L * 1024L, spec.cpus(), spec.port(),
                entry.hostPort(), spec.tty(), spec.interactive(), labels,
                spec.volumes().stream().map(v -> new ContainerSpec.Mount(v.name(), v.path())).toList(),
                entry.hostPort() == null ? null : alsoPublishOn);
    }

    /** The job's spec from its container's label; empty when the label is missing or unreadable. */
    public static Optional<JobSpec> spec(ContainerInfo container) {
        String json = container.labels().get(LABEL_SPEC);
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(json, JobSpec.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** When the job was created, from its container's label; empty when missing or unreadable. */
    public static Optional<Instant> created(ContainerInfo container) {
        String value = container.labels().get(LABEL_CREATED);
        try {
            return value == null ? Optional.empty() : Optional.of(Instant.parse(value));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
