package dev.pier.gitreceiver.push;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.archive.ArchiveFormats;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/** The pushed tree of a commit as a gzipped tar (no {@code .git}; modes and symlinks kept), for the builder. */
public final class SourceArchive {
    static {
        ArchiveFormats.registerAll();
    }

    private SourceArchive() {
    }

    public static void write(Repository repository, ObjectId commit, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            Git.wrap(repository).archive().setTree(commit).setFormat("tgz").setOutputStream(out).call();
        } catch (GitAPIException e) {
            throw new IOException("could not archive commit " + commit.name() + ": " + e.getMessage(), e);
        }
    }
}
