package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * An SSH public key allowed to push. {@code fingerprint} is OpenSSH's {@code SHA256:...} form (what
 * {@code ssh-keygen -l} prints); {@code id} is the same with a URL-safe alphabet, for paths.
 */
public record SshKey(
        @JsonProperty(required = true) String fingerprint,
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) String type,
        String comment,
        @JsonProperty(required = true) String key,
        @JsonProperty(required = true) Instant createdAt) {
}
