package dev.pier.addon.postgres.server;

import dev.pier.addon.postgres.provision.ResourceNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The server's superuser password, generated once and kept in a file only its owner reads (written to a temp file
 * and renamed, so a crash leaves the old file or the new one). The server's data directory is initialised with it
 * on the server's first start; changing the file later does not change the password in the server.
 */
public final class SuperuserPassword {
    private SuperuserPassword() {
    }

    public static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                String password = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (password.isEmpty()) {
                    throw new IllegalStateException("pier.addon-postgres.superuser-password-file " + file + " is empty");
                }
                return password;
            }
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            String password = ResourceNames.password();
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".superuser-password", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, password + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create pier.addon-postgres.superuser-password-file " + file, e);
        }
    }
}
