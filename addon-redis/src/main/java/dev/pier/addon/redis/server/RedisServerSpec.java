package dev.pier.addon.redis.server;

import dev.pier.addon.kit.ServerSpec;

/** A resource's Redis server as its system app runs it (image docker/build-addons makes, pier/redis). */
public final class RedisServerSpec {
    public static final ServerSpec SPEC = new ServerSpec("redis", "Redis server", "redis", 6379,
            "/var/lib/redis/data", "/pier/redis/start");
    /** The config var the server's job gets its password in ({@code requirepass}). */
    public static final String PASSWORD_VAR = "REDIS_PASSWORD";
    /** The config var the server's job gets its {@code maxmemory} in ({@code 48mb}). */
    public static final String MAXMEMORY_VAR = "REDIS_MAXMEMORY";

    private RedisServerSpec() {
    }
}
