package dev.pier.cli.config;

import dev.pier.api.http.Json;
import dev.pier.cli.UserError;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Reads and writes the CLI's config file ({@code $PIER_CONFIG}, default {@code ~/.pier/config.json}):
 * mode 600 in a directory of mode 700, since it holds cluster keys; written to a temp file and renamed.
 */
public final class ConfigStore {
    private final Path file;

    public ConfigStore(Path file) {
        this.file = file;
    }

    public static ConfigStore fromEnvironment() {
        String configured = System.getenv("PIER_CONFIG");
        Path path = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".pier", "config.json");
        return new ConfigStore(path);
    }

    public Path file() {
        return file;
    }

    public CliConfig load() {
        if (!Files.exists(file)) {
            return CliConfig.empty();
        }
        try {
            return Json.mapper().readValue(file.toFile(), CliConfig.class);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
    }

    public void save(CliConfig config) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path temp = Files.createTempFile(dir, ".config", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), config);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + e.getMessage());
        }
    }
}
