package dev.pier.addon.redis.server;

import dev.pier.addon.kit.ServerSpec;

/** The provider's Redis server as its system app runs it (image docker/build-addons makes, pier/redis). */
public final class RedisServerSpec {
    public static final ServerSpec SPEC = new ServerSpec("redis", "Redis server", "redis", 6379,
            "/var/lib/redis/data", "/pier/redis/start");
    /** The config var the server's job gets the default user's password in. */
    public static final String PASSWORD_VAR = "REDIS_PASSWORD";

    private RedisServerSpec() {
    }
}
