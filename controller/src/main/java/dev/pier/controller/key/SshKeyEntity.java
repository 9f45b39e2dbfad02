package dev.pier.controller.key;

import dev.pier.api.SshKey;
import dev.pier.api.SshPublicKey;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "ssh_keys")
public class SshKeyEntity {
    @Id
    private String fingerprint;
    private String type;
    private String key;
    private String comment;
    @Column(name = "created_at")
    private Instant createdAt;

    protected SshKeyEntity() {
    }

    public SshKeyEntity(SshPublicKey parsed, Instant now) {
        this.fingerprint = parsed.fingerprint();
        this.type = parsed.type();
        this.key = parsed.type() + " " + parsed.base64();
        this.comment = parsed.comment();
        this.createdAt = now;
    }

    public SshKey toRecord() {
        return new SshKey(fingerprint, SshPublicKey.urlSafe(fingerprint), type, comment, key, createdAt);
    }

    public String fingerprint() {
        return fingerprint;
    }
}
