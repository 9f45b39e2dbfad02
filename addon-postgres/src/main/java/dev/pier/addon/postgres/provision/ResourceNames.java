package dev.pier.addon.postgres.provision;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names one resource gets, all derived from its id (16 lowercase hex digits, random): database
 * {@code db_<id>}, role {@code u_<id>}. Ids and names contain only {@code [a-z0-9_]}, so they are safe in SQL
 * identifiers; the password is 32 letters and digits, safe in a URL and in SQL text.
 */
public record ResourceNames(String id, String database, String role) {
    private static final Pattern ID = Pattern.compile("^[0-9a-f]{16}$");
    private static final String PASSWORD_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

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
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            id.append(Character.forDigit(RANDOM.nextInt(16), 16));
        }
        return of(id.toString());
    }

    /** A new random password of 32 letters and digits (about 190 bits). */
    public static String password() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }
}
