package dev.pier.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /keys}: one line of an OpenSSH public key file ({@code ssh-ed25519 AAAA... comment}). */
public record NewKey(@JsonProperty(required = true) String key) {
}
