package dev.pier.addon.kit;

import dev.pier.api.Names;

/** The checks the providers' settings share, with messages naming the property ({@code pier.addon-<name>.<key>}). */
public final class Settings {
    private final String prefix;

    /** {@code prefix}: {@code pier.addon-postgres}. */
    public Settings(String prefix) {
        this.prefix = prefix;
    }

    public void port(String name, int value) {
        if (value < 1024 || value > 65535) {
            throw new IllegalArgumentException(prefix + "." + name + " must be between 1024 and 65535, not " + value);
        }
    }

    public void memory(String name, int value) {
        if (value < Names.MIN_MEMORY_MB || value > Names.MAX_MEMORY_MB) {
            throw new IllegalArgumentException(prefix + "." + name + " must be between " + Names.MIN_MEMORY_MB
                    + " and " + Names.MAX_MEMORY_MB + ", not " + value);
        }
    }

    public void app(String name, String value) {
        if (Names.problemWithApp(value).isPresent()) {
            throw new IllegalArgumentException(prefix + "." + name + ": " + Names.problemWithApp(value).get());
        }
    }

    /** A setting needed when the provider runs its server (not with {@code server-address}). */
    public void require(String name, Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new IllegalArgumentException(prefix + "." + name + " is required");
        }
    }

    public void requireUnlessStatic(String name, Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new IllegalArgumentException(prefix + "." + name + " is required (unless " + prefix
                    + ".server-address names a server the provider does not run)");
        }
    }

    public void hostPort(String name, String value) {
        if (!value.matches("[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}")) {
            throw new IllegalArgumentException(prefix + "." + name + " must be host:port, not '"
                    + Names.printable(value) + "'");
        }
    }
}
