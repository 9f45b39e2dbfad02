package dev.pier.addon.postgres.server;

/** The provider's PostgreSQL server as it is now: its endpoint, or why it cannot be used yet. */
public interface Server {
    ServerEndpoint endpoint() throws ServerNotReady;
}
