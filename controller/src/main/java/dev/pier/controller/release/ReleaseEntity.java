package dev.pier.controller.release;

import dev.pier.api.ProcessType;
import dev.pier.api.Release;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** Releases never change once written. */
@Entity
@Immutable
@Table(name = "releases")
public class ReleaseEntity {
    @Id
    private UUID id;
    @Column(name = "app_id")
    private UUID appId;
    private int version;
    @Column(name = "artifact_id")
    private UUID artifactId;
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> env = new LinkedHashMap<>();
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, ProcessType> processes = new LinkedHashMap<>();
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> meta = new LinkedHashMap<>();
    private String description;
    @Column(name = "created_at")
    private Instant createdAt;

    protected ReleaseEntity() {
    }

    public ReleaseEntity(UUID appId, int version, UUID artifactId, Map<String, String> env,
                         Map<String, ProcessType> processes, Map<String, String> meta, String description,
                         Instant now) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.version = version;
        this.artifactId = artifactId;
        this.env = new LinkedHashMap<>(env);
        this.processes = new LinkedHashMap<>(processes);
        this.meta = new LinkedHashMap<>(meta);
        this.description = description;
        this.createdAt = now;
    }

    public Release toRecord(String appName) {
        return new Release(id, appName, version, artifactId, Map.copyOf(env), Map.copyOf(processes),
                Map.copyOf(meta), description, createdAt);
    }

    public UUID id() {
        return id;
    }

    public UUID appId() {
        return appId;
    }

    public int version() {
        return version;
    }

    public UUID artifactId() {
        return artifactId;
    }

    public Map<String, String> env() {
        return env;
    }

    public Map<String, ProcessType> processes() {
        return processes;
    }

    public Map<String, String> meta() {
        return meta;
    }
}
