package dev.pier.addon.redis.instance;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A resource of the redis provider: a redis-server of its own, run as the system app {@link #app()} with its own
 * password ({@code requirepass}) and its own volume.
 *
 * @param id       16 random hex digits
 * @param password what {@code AUTH} takes, 32 letters and digits
 */
public record RedisInstance(String id, String password) {
    private static final Pattern ID = Pattern.compile("^[0-9a-f]{16}$");
    /** Prefix of every per-resource app's name: {@code pier-redis-<id>}. */
    public static final String APP_PREFIX = "pier-redis-";

    public RedisInstance {
        if (!isId(id)) {
            throw new IllegalArgumentException("not a resource id: " + id);
        }
    }

    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The system app that runs this resource's server. */
    public static String app(String id) {
        return APP_PREFIX + id;
    }

    public String app() {
        return app(id);
    }

    /** The config vars an attached app gets: {@code REDIS_URL=redis://:PASSWORD@HOST:PORT}. */
    public Map<String, String> env(String jobAddress) {
        return Map.of("REDIS_URL", "redis://:" + password + "@" + jobAddress);
    }

    @Override
    public String toString() {
        return "RedisInstance[id=" + id + "]";
    }
}
