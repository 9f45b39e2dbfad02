package dev.pier.addon.redis.provision;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One resource: an ACL user {@code u<id>} with a random password, allowed the keys and channels that start with
 * {@code r<id>:} only. {@code <id>} is 16 random lowercase hex digits, so every name is safe in a command and a URL.
 */
public record Grant(String id, String password) {
    private static final Pattern ID = Pattern.compile("^[0-9a-f]{16}$");

    public Grant {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a resource id is 16 lowercase hex digits, not '" + id + "'");
        }
    }

    /** Whether {@code id} can be one of this provider's ids (anything else is unknown without asking the server). */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String user(String id) {
        return "u" + id;
    }

    public static String prefix(String id) {
        return "r" + id + ":";
    }

    public String user() {
        return user(id);
    }

    public String prefix() {
        return prefix(id);
    }

    @Override
    public String toString() {
        return "Grant[id=" + id + ", user=" + user() + "]"; // no password in logs
    }

    /**
     * The config vars an app gets: {@code REDIS_URL=redis://u<id>:PASSWORD@HOST:PORT} (database 0; no path, so
     * clients send no SELECT) and {@code REDIS_KEY_PREFIX=r<id>:}, the prefix every key and channel of the app must
     * have. {@code jobAddress} is {@code host:port}.
     */
    public Map<String, String> env(String jobAddress) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_URL", "redis://" + user() + ":" + password + "@" + jobAddress);
        env.put("REDIS_KEY_PREFIX", prefix());
        return env;
    }
}
