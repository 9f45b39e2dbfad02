package dev.pier.api.discoverd;

import java.util.Map;

/**
 * The body of {@code PUT /services/{service}/leader}: enters candidate {@code id} in the service's election,
 * or renews its lease (heartbeat) when repeated. The candidate that has campaigned longest without its lease
 * expiring (lowest index) leads.
 *
 * @param id         the candidate id, required (same rule as service names)
 * @param address    {@code host:port} where the candidate serves (what followers use to reach the leader)
 * @param meta       optional string metadata
 * @param ttlSeconds optional lease TTL in seconds (1..300); discoverd's default (5 s) when absent
 */
public record Candidacy(String id, String address, Map<String, String> meta, Integer ttlSeconds) {
}
