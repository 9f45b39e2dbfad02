package dev.pier.controller.formation;

import dev.pier.api.Formation;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "formations")
public class FormationEntity {
    @EmbeddedId
    private Key key;
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Integer> processes = new LinkedHashMap<>();
    /** Memory limits (MB) of the process types that have one other than the scheduler's default. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "memory_mb")
    private Map<String, Integer> memoryMb = new LinkedHashMap<>();
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;

    @Embeddable
    public record Key(@Column(name = "app_id") UUID appId, @Column(name = "release_id") UUID releaseId)
            implements Serializable {
    }

    protected FormationEntity() {
    }

    public FormationEntity(UUID appId, UUID releaseId, Map<String, Integer> processes, Instant now) {
        this(appId, releaseId, processes, Map.of(), now);
    }

    public FormationEntity(UUID appId, UUID releaseId, Map<String, Integer> processes, Map<String, Integer> memoryMb,
                           Instant now) {
        this.key = new Key(appId, releaseId);
        this.processes = new LinkedHashMap<>(processes);
        this.memoryMb = new LinkedHashMap<>(memoryMb);
        this.createdAt = now;
        this.updatedAt = now;
    }

    public Formation toRecord(String appName) {
        return new Formation(appName, key.releaseId(), Map.copyOf(processes), Map.copyOf(memoryMb()), createdAt,
                updatedAt);
    }

    public UUID appId() {
        return key.appId();
    }

    public UUID releaseId() {
        return key.releaseId();
    }

    public Map<String, Integer> processes() {
        return processes;
    }

    public Map<String, Integer> memoryMb() {
        return memoryMb == null ? Map.of() : memoryMb;
    }

    public void resize(Map<String, Integer> memoryMb, Instant now) {
        this.memoryMb = new LinkedHashMap<>(memoryMb);
        this.updatedAt = now;
    }

    public boolean isEmpty() {
        return processes.values().stream().allMatch(count -> count == null || count == 0);
    }

    public void scale(Map<String, Integer> processes, Instant now) {
        this.processes = new LinkedHashMap<>(processes);
        this.updatedAt = now;
    }
}
