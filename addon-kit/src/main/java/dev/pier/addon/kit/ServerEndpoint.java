package dev.pier.addon.kit;

/**
 * Where a provider's server is: {@code address} is where this provider (on a host) connects,
 * {@code jobAddress} is what app jobs (in containers) use, the discoverd instance's meta {@code job_addr}.
 * Both are {@code host:port}.
 */
public record ServerEndpoint(String address, String jobAddress) {
}
