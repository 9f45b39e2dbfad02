package dev.pier.controller.build;

import dev.pier.api.Build;
import dev.pier.api.BuildState;
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

/** A build: its state moves only as {@link BuildState}'s table allows (its output is a {@link BuildLogEntity}). */
@Entity
@Table(name = "builds")
public class BuildEntity {
    @Id
    private UUID id;
    @Column(name = "app_id")
    private UUID appId;
    private String state;
    private String source;
    @Column(name = "commit_sha")
    private String commit;
    private String description;
    @Column(name = "job_id")
    private String jobId;
    @Column(name = "host_id")
    private String hostId;
    @Column(name = "slug_path")
    private String slugPath;
    private String buildpack;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "process_types")
    private Map<String, String> processTypes = new LinkedHashMap<>();
    private String error;
    @Column(name = "artifact_id")
    private UUID artifactId;
    @Column(name = "release_id")
    private UUID releaseId;
    @Column(name = "release_version")
    private Integer releaseVersion;
    @Column(name = "deployment_id")
    private UUID deploymentId;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "started_at")
    private Instant startedAt;
    @Column(name = "finished_at")
    private Instant finishedAt;

    protected BuildEntity() {
    }

    public BuildEntity(UUID appId, String source, String commit, String description, String slugPath, Instant now) {
        this.id = UUID.randomUUID();
        this.appId = appId;
        this.state = BuildState.PENDING.wireName();
        this.source = source;
        this.commit = commit;
        this.description = description;
        this.slugPath = slugPath;
        this.createdAt = now;
    }

    public Build toRecord(String appName) {
        return new Build(id, appName, state(), source, commit, description, jobId, hostId, buildpack,
                Map.copyOf(processTypes), error, artifactId, releaseId, releaseVersion, deploymentId, createdAt,
                startedAt, finishedAt);
    }

    public UUID id() {
        return id;
    }

    public UUID appId() {
        return appId;
    }

    public BuildState state() {
        return BuildState.fromWire(state);
    }

    public String commit() {
        return commit;
    }

    public String description() {
        return description;
    }

    public String jobId() {
        return jobId;
    }

    public String hostId() {
        return hostId;
    }

    public String slugPath() {
        return slugPath;
    }

    /** The slug builder runs as {@code jobId} on {@code hostId}. */
    public void building(String newJobId, String newHostId, Instant now) {
        move(BuildState.BUILDING);
        this.jobId = newJobId;
        this.hostId = newHostId;
        this.startedAt = now;
    }

    /** Built, released and deployed (or being deployed). */
    public void succeeded(String usedBuildpack, Map<String, String> types, UUID artifact, UUID release, int version,
                          UUID deployment, Instant now) {
        move(BuildState.SUCCEEDED);
        this.buildpack = usedBuildpack;
        this.processTypes = new LinkedHashMap<>(types);
        this.artifactId = artifact;
        this.releaseId = release;
        this.releaseVersion = version;
        this.deploymentId = deployment;
        this.finishedAt = now;
    }

    public void failed(String why, Instant now) {
        move(BuildState.FAILED);
        this.error = why;
        this.finishedAt = now;
    }

    private void move(BuildState next) {
        if (!state().canMoveTo(next)) {
            throw new IllegalStateException("build " + id + " cannot move from " + state + " to " + next.wireName());
        }
        this.state = next.wireName();
    }
}
