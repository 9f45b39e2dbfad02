package dev.pier.addon.kit;

/** A provider's server as it is now: its endpoint, or why it cannot be used yet. */
public interface Server {
    ServerEndpoint endpoint() throws ServerNotReady;
}
