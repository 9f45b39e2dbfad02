package dev.pier.api;

/** {@code POST /keys}: one line of an OpenSSH public key file ({@code ssh-ed25519 AAAA... comment}). */
public record NewKey(String key) {
}
