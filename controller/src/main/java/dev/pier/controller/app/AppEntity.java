package dev.pier.controller.app;

import dev.pier.api.App;
import dev.pier.api.DeployStrategy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "apps")
public class AppEntity {
    @Id
    private UUID id;
    private String name;
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> meta = new LinkedHashMap<>();
    private String strategy;
    @Column(name = "deploy_timeout")
    private int deployTimeout;
    @Column(name = "release_id")
    private UUID releaseId;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Column(name = "deleted_at")
    private Instant deletedAt;

    protected AppEntity() {
    }

    public AppEntity(String name, Map<String, String> meta, Instant now) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.meta = new LinkedHashMap<>(meta);
        this.strategy = DeployStrategy.ONE_BY_ONE.wireName();
        this.deployTimeout = 120;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public App toRecord() {
        return new App(id, name, Map.copyOf(meta), DeployStrategy.fromWire(strategy), deployTimeout, releaseId,
                createdAt, updatedAt);
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    public UUID releaseId() {
        return releaseId;
    }

    public DeployStrategy strategy() {
        return DeployStrategy.fromWire(strategy);
    }

    public void setRelease(UUID releaseId, Instant now) {
        this.releaseId = releaseId;
        this.updatedAt = now;
    }

    public void update(Map<String, String> meta, DeployStrategy strategy, Integer deployTimeout, Instant now) {
        if (meta != null) {
            this.meta = new LinkedHashMap<>(meta);
        }
        if (strategy != null) {
            this.strategy = strategy.wireName();
        }
        if (deployTimeout != null) {
            this.deployTimeout = deployTimeout;
        }
        this.updatedAt = now;
    }

    public void markDeleted(Instant now) {
        this.deletedAt = now;
        this.updatedAt = now;
    }
}
