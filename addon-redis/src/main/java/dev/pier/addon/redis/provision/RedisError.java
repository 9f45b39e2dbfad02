package dev.pier.addon.redis.provision;

/** An error reply of the Redis server ({@code NOPERM ...}, {@code WRONGPASS ...}): its message is the reply. */
public class RedisError extends RuntimeException {
    public RedisError(String reply) {
        super(reply, null, false, false);
    }

    /** The reply's first word ({@code NOPERM}, {@code LOADING}, {@code ERR}). */
    public String code() {
        String message = getMessage();
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }
}
