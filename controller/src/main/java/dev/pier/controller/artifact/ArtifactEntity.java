package dev.pier.controller.artifact;

import dev.pier.api.Artifact;
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
@Table(name = "artifacts")
public class ArtifactEntity {
    @Id
    private UUID id;
    private String type;
    private String uri;
    private String sha256;
    private Long size;
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> meta = new LinkedHashMap<>();
    @Column(name = "created_at")
    private Instant createdAt;

    protected ArtifactEntity() {
    }

    public ArtifactEntity(String type, String uri, String sha256, Long size, Map<String, String> meta, Instant now) {
        this.id = UUID.randomUUID();
        this.type = type;
        this.uri = uri;
        this.sha256 = sha256;
        this.size = size;
        this.meta = new LinkedHashMap<>(meta);
        this.createdAt = now;
    }

    public Artifact toRecord() {
        return new Artifact(id, type, uri, sha256, size, Map.copyOf(meta), createdAt);
    }

    public UUID id() {
        return id;
    }
}
