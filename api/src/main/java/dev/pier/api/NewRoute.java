package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /apps/{app}/routes}: a domain, with an optional PEM certificate chain and key for TLS. */
public record NewRoute(@JsonProperty(required = true) String domain, String tlsCert, String tlsKey) {
    public static NewRoute http(String domain) {
        return new NewRoute(domain, null, null);
    }
}
