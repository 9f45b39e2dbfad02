package dev.pier.addon.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/** The providers' passwords: random ones, and a server's own, generated once into a file and kept. */
public final class Secrets {
    private static final String PASSWORD_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A new random password of 32 letters and digits (about 190 bits): safe in a URL, in SQL text, in a shell. */
    public static String password() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }

    /** {@code length} random lowercase hex digits. */
    public static String hex(int length) {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < length; i++) {
            id.append(Character.forDigit(RANDOM.nextInt(16), 16));
        }
        return id.toString();
    }

    /**
     * The password in {@code file}, generated into it when the file does not exist, in a file only its owner reads
     * (written to a temp file and renamed, so a crash leaves the old file or the new one). A server is initialised
     * with it on its first start; changing the file later does not change the password in the server.
     * {@code property} names the setting in errors.
     */
    public static String readOrCreate(Path file, String property) {
        try {
            if (Files.exists(file)) {
                String password = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (password.isEmpty()) {
                    throw new IllegalStateException(property + " " + file + " is empty");
                }
                return password;
            }
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            String password = password();
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".password", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, password + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + property + " " + file, e);
        }
    }
}
