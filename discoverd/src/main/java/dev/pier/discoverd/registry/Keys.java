package dev.pier.discoverd.registry;

import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where discoverd keeps things in etcd: {@code <prefix>/services/<service>/instances/<id>} for instances and
 * {@code <prefix>/services/<service>/candidates/<id>} for election candidates; the value is the JSON of
 * {@link Entry}, and the key's create revision is the instance's index. Pure.
 */
public final class Keys {
    /** What a key holds. */
    public enum Kind {
        INSTANCE("instances"), CANDIDATE("candidates");

        private final String segment;

        Kind(String segment) {
            this.segment = segment;
        }
    }

    /** A parsed key. */
    public record Path(String service, Kind kind, String id) {
    }

    private final String services;

    public Keys(String prefix) {
        this.services = prefix + "/services/";
    }

    /** The prefix under which every service lives. */
    public String all() {
        return services;
    }

    public String of(Kind kind, String service, String id) {
        return services + service + "/" + kind.segment + "/" + id;
    }

    /** The prefix of one kind of key of one service. */
    public String of(Kind kind, String service) {
        return services + service + "/" + kind.segment + "/";
    }

    /** Parses a key under {@link #all()}; empty for anything else. */
    public Optional<Path> parse(String key) {
        if (!key.startsWith(services)) {
            return Optional.empty();
        }
        String[] parts = key.substring(services.length()).split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        for (Kind kind : Kind.values()) {
            if (kind.segment.equals(parts[1])) {
                return Optional.of(new Path(parts[0], kind, parts[2]));
            }
        }
        return Optional.empty();
    }

    public static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
