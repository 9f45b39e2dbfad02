package dev.pier.api;

import java.time.Instant;

/**
 * An SSH public key allowed to push. {@code fingerprint} is OpenSSH's {@code SHA256:...} form (what
 * {@code ssh-keygen -l} prints); {@code id} is the same with a URL-safe alphabet, for paths.
 */
public record SshKey(
        String fingerprint,
        String id,
        String type,
        String comment,
        String key,
        Instant createdAt) {
}
