package dev.pier.addon.kit;

/** A server the provider does not run (tests, or an operator's own): always at the same endpoint. */
public record StaticServer(ServerEndpoint fixed) implements Server, AutoCloseable {
    @Override
    public ServerEndpoint endpoint() {
        return fixed;
    }

    @Override
    public void close() {
    }
}
