package dev.pier.addon.redis.provision;

import java.io.IOException;

/** How the provider reaches its Redis server: as the default user, with its password (none: a server without one). */
public final class RedisServerAccess {
    private final String password;

    public RedisServerAccess(String password) {
        this.password = password;
    }

    public String password() {
        return password;
    }

    public RespConnection open(String address) throws IOException {
        return RespConnection.open(address, null, password);
    }

    public Provisioner at(String address) {
        return new Provisioner(() -> open(address));
    }

    /** Checks that the server at {@code address} accepts the provider (and has loaded its data); throws when not. */
    public void ping(String address) throws IOException {
        try (RespConnection redis = open(address)) {
            redis.call("PING");
        }
    }
}
