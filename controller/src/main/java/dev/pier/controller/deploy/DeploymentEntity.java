package dev.pier.controller.deploy;

import dev.pier.api.DeployStrategy;
import dev.pier.api.Deployment;
import dev.pier.api.DeploymentStatus;
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
@Table(name = "deployments")
public class DeploymentEntity {
    @Id
    private UUID id;
    @Column(name = "app_id")
    private UUID appId;
    @Column(name = "old_release_id")
    private UUID oldReleaseId;
    @Column(name = "new_release_id")
    private UUID newReleaseId;
    private String strategy;
    private String status;
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, Integer> processes = new LinkedHashMap<>();
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "old_processes")
    private Map<String, Integer> oldProcesses = new LinkedHashMap<>();
    private String error;
    private String step;
    @Column(name = "started_at")
    private Instant startedAt;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "finished_at")
    private Instant finishedAt;

    protected DeploymentEntity() {
    }

    public DeploymentEntity(UUID appId, UUID oldReleaseId, UUID newReleaseId, DeployStrategy strategy,
                            Map<String, Integer> processes, Map<String, Integer> oldProcesses, Instant now) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.oldReleaseId = oldReleaseId;
        this.newReleaseId = newReleaseId;
        this.strategy = strategy.wireName();
        this.status = DeploymentStatus.PENDING.wireName();
        this.processes = new LinkedHashMap<>(processes);
        this.oldProcesses = new LinkedHashMap<>(oldProcesses);
        this.createdAt = now;
    }

    public Deployment toRecord(String appName) {
        return new Deployment(id, appName, oldReleaseId, newReleaseId, DeployStrategy.fromWire(strategy), status(),
                Map.copyOf(processes), Map.copyOf(oldProcesses), error, step, createdAt, startedAt, finishedAt);
    }

    public UUID id() {
        return id;
    }

    public UUID appId() {
        return appId;
    }

    public UUID oldReleaseId() {
        return oldReleaseId;
    }

    public UUID newReleaseId() {
        return newReleaseId;
    }

    public Map<String, Integer> processes() {
        return processes;
    }

    public Map<String, Integer> oldProcesses() {
        return oldProcesses;
    }

    public DeploymentStatus status() {
        return DeploymentStatus.fromWire(status);
    }

    public String step() {
        return step;
    }

    /** Says what the deployment is doing now; whether that changed. */
    public boolean setStep(String next) {
        if (java.util.Objects.equals(step, next)) {
            return false;
        }
        this.step = next;
        return true;
    }

    /** Moves to {@code next}; the caller has checked the transition against the table. */
    public void moveTo(DeploymentStatus next, String error, Instant now) {
        this.status = next.wireName();
        if (error != null) {
            this.error = error;
        }
        if (next == DeploymentStatus.RUNNING && startedAt == null) {
            this.startedAt = now;
        }
        if (next.isFinished()) {
            this.finishedAt = now;
        }
    }
}
