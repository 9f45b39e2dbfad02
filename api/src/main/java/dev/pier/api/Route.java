package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/**
 * An HTTP domain sent to an app's {@code <app>-web} service. A route may carry a PEM certificate chain
 * and private key for TLS; listings leave the key out unless the caller is the router.
 */
public record Route(
        @JsonProperty(required = true) UUID id,
        @JsonProperty(required = true) String app,
        @JsonProperty(required = true) String domain,
        @JsonProperty(required = true) String service,
        String tlsCert,
        String tlsKey,
        @JsonProperty(required = true) Instant createdAt) {
}
