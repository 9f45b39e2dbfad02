package dev.pier.api.discoverd;

/**
 * The current leader of a service's election ({@code GET/PUT /services/{service}/leader}).
 *
 * @param service the service
 * @param leader  the leading candidate (lowest index), or null when nobody campaigns
 */
public record Leadership(String service, Instance leader) {
    /** Whether the candidate {@code id} leads. */
    public boolean isLeader(String id) {
        return leader != null && leader.id().equals(id);
    }
}
