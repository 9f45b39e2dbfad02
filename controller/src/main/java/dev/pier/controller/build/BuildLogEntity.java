package dev.pier.controller.build;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** A finished build's output: its log lines as NDJSON, written once when the build ends. */
@Entity
@Table(name = "build_logs")
public class BuildLogEntity {
    @Id
    @Column(name = "build_id")
    private UUID buildId;
    private String lines;

    protected BuildLogEntity() {
    }

    public BuildLogEntity(UUID buildId, String lines) {
        this.buildId = buildId;
        this.lines = lines;
    }

    public String lines() {
        return lines;
    }
}
