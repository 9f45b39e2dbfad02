package dev.pier.api;

import java.time.Instant;
import java.util.UUID;

/**
 * An HTTP domain sent to an app's {@code <app>-web} service. A route may carry a PEM certificate chain
 * and private key for TLS; listings leave the key out unless the caller is the router.
 */
public record Route(
        UUID id,
        String app,
        String domain,
        String service,
        String tlsCert,
        String tlsKey,
        Instant createdAt) {
}
