package dev.pier.addon.redis.provision;

import dev.pier.addon.kit.Secrets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions and deprovisions resources on one Redis server, as its default user (the provider's). A resource is an
 * ACL user allowed only the keys and Pub/Sub channels under its prefix ({@link Grant}) and none of the commands
 * that reach past it: the {@code @dangerous} and {@code @admin} ones (KEYS, FLUSHALL, FLUSHDB, CONFIG, SWAPDB,
 * MONITOR, CLIENT LIST, DEBUG, ...), SCAN, RANDOMKEY and DBSIZE (which see every key's name or count), PUBSUB
 * (every channel's name) and FUNCTION (one library space for all). So one app's credentials read no other app's
 * keys. The ACL users live in the server's ACL file on its volume ({@code ACL SAVE} after each change); the
 * provider's record of each resource (its password, which the ACL keeps only hashed) is the hash
 * {@value #RECORDS}, a key no resource may touch.
 */
public final class Provisioner {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
    public static final String RECORDS = "pier:provider:resources";
    /** The rules after a resource's password, key pattern and channel pattern. */
    static final List<String> COMMANDS = List.of("+@all", "-@dangerous", "-@admin", "-scan", "-randomkey",
            "-dbsize", "-pubsub", "-function");

    /** Opens a connection as the default user to the provider's server. */
    @FunctionalInterface
    public interface Connections {
        RespConnection open() throws IOException;
    }

    private final Connections server;

    public Provisioner(Connections server) {
        this.server = server;
    }

    /** A new resource: its ACL user (saved to the ACL file), then its record. */
    public Grant provision() throws IOException {
        Grant grant = new Grant(Secrets.hex(16), Secrets.password());
        try (RespConnection redis = server.open()) {
            List<String> setuser = new ArrayList<>(List.of("ACL", "SETUSER", grant.user(), "reset", "on",
                    ">" + grant.password(), "~" + grant.prefix() + "*", "resetchannels", "&" + grant.prefix() + "*"));
            setuser.addAll(COMMANDS);
            try {
                redis.call(setuser.toArray(String[]::new));
                redis.call("ACL", "SAVE");
                redis.call("HSET", RECORDS, grant.id(), grant.password());
            } catch (IOException | RuntimeException e) {
                try {
                    redis.call("ACL", "DELUSER", grant.user());
                    redis.call("ACL", "SAVE");
                } catch (IOException | RuntimeException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
        }
        LOG.info("event=resource_provisioned id={} user={} prefix={}", grant.id(), grant.user(), grant.prefix());
        return grant;
    }

    /** The resource of this id, or empty when this provider has none by it. */
    public Optional<Grant> find(String id) throws IOException {
        if (!Grant.isId(id)) {
            return Optional.empty();
        }
        try (RespConnection redis = server.open()) {
            return Optional.ofNullable(redis.string("HGET", RECORDS, id)).map(password -> new Grant(id, password));
        }
    }

    /**
     * Deletes the resource's ACL user (which ends its connections), its keys in every database, then its record;
     * false when this provider has no resource by that id. A deprovision cut short is finished by the next one: each
     * step tolerates what is gone already, and the record goes last.
     */
    public boolean deprovision(String id) throws IOException {
        if (!Grant.isId(id)) {
            return false;
        }
        long keys = 0;
        try (RespConnection redis = server.open()) {
            if (redis.string("HGET", RECORDS, id) == null) {
                return false;
            }
            redis.call("ACL", "DELUSER", Grant.user(id));
            redis.call("ACL", "SAVE");
            int databases = Integer.parseInt((String) ((List<?>) redis.call("CONFIG", "GET", "databases")).get(1));
            for (int db = 0; db < databases; db++) {
                redis.call("SELECT", Integer.toString(db));
                keys += deleteKeys(redis, Grant.prefix(id) + "*");
            }
            redis.call("SELECT", "0");
            redis.call("HDEL", RECORDS, id);
        }
        LOG.info("event=resource_deprovisioned id={} user={} keys_deleted={}", id, Grant.user(id), keys);
        return true;
    }

    private static long deleteKeys(RespConnection redis, String pattern) throws IOException {
        long deleted = 0;
        String cursor = "0";
        do {
            List<?> page = (List<?>) redis.call("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
            cursor = (String) page.get(0);
            List<?> keys = (List<?>) page.get(1);
            if (!keys.isEmpty()) {
                List<String> unlink = new ArrayList<>(List.of("UNLINK"));
                keys.forEach(k -> unlink.add((String) k));
                deleted += (Long) redis.call(unlink.toArray(String[]::new));
            }
        } while (!cursor.equals("0"));
        return deleted;
    }
}
