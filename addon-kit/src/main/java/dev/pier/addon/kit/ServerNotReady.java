package dev.pier.addon.kit;

/** The provider's server cannot be used yet; the message says what the provider waits for. */
public class ServerNotReady extends Exception {
    public ServerNotReady(String waitingFor) {
        super(waitingFor, null, false, false);
    }
}
