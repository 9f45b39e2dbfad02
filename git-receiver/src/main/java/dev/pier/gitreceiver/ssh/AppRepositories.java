package dev.pier.gitreceiver.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FileUtils;

/**
 * The bare repository of each app, {@code <name>-<app id>.git} under one directory, made on the app's first push.
 * The id is in the name so that an app created later under a deleted app's name starts with an empty repository,
 * as a new app should, instead of the deleted one's history. Making one is atomic: it is
 * initialised in a staging directory beside it and renamed into place, so two first pushes at once (or a crash half
 * way) never leave a half-made repository, and the loser of the race simply opens the winner's.
 */
public final class AppRepositories {
    private static final String MAIN = "refs/heads/main";

    private final Path root;

    AppRepositories(Path root) {
        this.root = root;
    }

    /** The name of the app's repository directory under the root. */
    public static String directoryName(String app, UUID id) {
        return app + "-" + id + ".git";
    }

    /** The app's repository, made first if it has none; the caller closes it. */
    Repository open(String app, UUID id) throws IOException {
        Path directory = root.resolve(directoryName(app, id));
        if (!Files.isDirectory(directory)) {
            create(app, directory);
        }
        return bare(directory);
    }

    private void create(String app, Path directory) throws IOException {
        Files.createDirectories(root);
        Path staging = Files.createTempDirectory(root, "." + app + ".git-new-");
        try {
            try (Repository repository = bare(staging)) {
                repository.create(true);
                repository.updateRef("HEAD").link(MAIN);
            }
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(directory.resolve("objects"))) {
                throw e;
            }
            // another push made it first: use that one
        } finally {
            FileUtils.delete(staging.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
        }
    }

    private static Repository bare(Path directory) throws IOException {
        return new FileRepositoryBuilder().setGitDir(directory.toFile()).setBare().build();
    }
}
