package dev.pier.addon.postgres.provision;

import dev.pier.addon.kit.Secrets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names one resource gets, all derived from its id (16 lowercase hex digits, random): database
 * {@code db_<id>}, role {@code u_<id>}. Ids and names contain only {@code [a-z0-9_]}, so they are safe in SQL
 * identifiers; the password is 32 letters and digits, safe in a URL and in SQL text.
 */
public record ResourceNames(String id, String database, String role) {
    private static final Pattern ID = Pattern.compile("^[0-9a-f]{16}$");

    public static ResourceNames of(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a resource id is 16 lowercase hex digits, not '" + id + "'");
        }
        return new ResourceNames(id, "db_" + id, "u_" + id);
    }

    /** The names of a resource id given over HTTP, or empty when it cannot be one of this provider's ids. */
    public static Optional<ResourceNames> parse(String id) {
        return id != null && ID.matcher(id).matches() ? Optional.of(of(id)) : Optional.empty();
    }

    public static ResourceNames random() {
        return of(Secrets.hex(16));
    }

    /** A new random password of 32 letters and digits (about 190 bits). */
    public static String password() {
        return Secrets.password();
    }
}
