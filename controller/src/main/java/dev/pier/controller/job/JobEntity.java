package dev.pier.controller.job;

import dev.pier.api.Job;
import dev.pier.api.JobState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "jobs")
public class JobEntity {
    @Id
    private String id;
    @Column(name = "app_id")
    private UUID appId;
    @Column(name = "release_id")
    private UUID releaseId;
    @Column(name = "process_type")
    private String processType;
    @Column(name = "host_id")
    private String hostId;
    private String state;
    private String reason;
    @Column(name = "exit_status")
    private Integer exitStatus;
    private int restarts;
    @Column(name = "backoff_until")
    private Instant backoffUntil;
    private String address;
    @Column(name = "memory_mb")
    private Integer memoryMb;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "updated_at")
    private Instant updatedAt;

    protected JobEntity() {
    }

    public JobEntity(String id, UUID appId, UUID releaseId, String processType, Instant now) {
        this.id = id;
        this.appId = appId;
        this.releaseId = releaseId;
        this.processType = processType;
        this.state = JobState.PENDING.wireName();
        this.createdAt = now;
        this.updatedAt = now;
    }

    public Job toRecord(String appName) {
        return new Job(id, appName, releaseId, processType, hostId, state(), reason, exitStatus, restarts,
                backoffUntil, address, createdAt, updatedAt, memoryMb);
    }

    public String id() {
        return id;
    }

    public UUID appId() {
        return appId;
    }

    public UUID releaseId() {
        return releaseId;
    }

    public String processType() {
        return processType;
    }

    public JobState state() {
        return JobState.fromWire(state);
    }

    /** Applies a report; the caller has checked the transition against the table. */
    public void report(JobState next, String hostId, String reason, Integer exitStatus, Integer restarts,
                       Instant backoffUntil, String address, Instant now) {
        this.state = next.wireName();
        if (hostId != null) {
            this.hostId = hostId;
        }
        this.reason = reason;
        if (exitStatus != null) {
            this.exitStatus = exitStatus;
        }
        if (restarts != null) {
            this.restarts = restarts;
        }
        this.backoffUntil = backoffUntil;
        if (address != null) {
            this.address = address;
        }
        this.updatedAt = now;
    }

    /** The job's memory limit, when a report gives it. */
    public void sized(Integer memoryMb) {
        if (memoryMb != null) {
            this.memoryMb = memoryMb;
        }
    }
}
