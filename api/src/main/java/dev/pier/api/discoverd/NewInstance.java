package dev.pier.api.discoverd;

import java.util.Map;

/**
 * The body of {@code PUT /services/{service}/instances/{id}}: registers the instance, or renews its lease
 * (heartbeat) when repeated; a changed address or meta is an {@code update}.
 *
 * @param address    {@code host:port}, required
 * @param meta       optional string metadata
 * @param ttlSeconds optional lease TTL in seconds (1..300); discoverd's default (5 s) when absent
 */
public record NewInstance(String address, Map<String, String> meta, Integer ttlSeconds) {
}
