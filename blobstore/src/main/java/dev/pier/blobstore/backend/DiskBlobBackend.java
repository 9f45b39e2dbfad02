package dev.pier.blobstore.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs as files under a root directory. The blob at path {@code a/b/c} is the directory {@code a/b/c/} holding
 * {@code @blob} (the content) and {@code @sha256} (its digest and size). Blob path segments never start with '@'
 * ({@code BlobPaths}), so a blob's own files can never be another blob's directory: any valid paths live side by
 * side ({@code x}, {@code x/y}, {@code x.blob/y}). Content and digest are written to temp files in {@code @tmp/}
 * (same file system), fsynced, and renamed into place, the digest first; a reader checks both are there. Stale
 * temp files are removed at start, and the directories a deleted blob leaves empty go with it.
 *
 * <p>A data directory in the first layout ({@code <path>.blob} beside {@code <path>.blob.sha256}, which could
 * collide) is migrated when the backend starts: each file is renamed into its place in this layout.
 */
public final class DiskBlobBackend implements BlobBackend {
    private static final Logger LOG = LoggerFactory.getLogger(DiskBlobBackend.class);
    static final String CONTENT = "@blob";
    static final String DIGEST = "@sha256";
    static final String TEMP_DIR = "@tmp";
    /** The first layout's names. */
    static final String OLD_CONTENT_SUFFIX = ".blob";
    static final String OLD_DIGEST_SUFFIX = ".blob.sha256";
    static final String OLD_TEMP_PREFIX = ".tmp-";
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path temp;

    public DiskBlobBackend(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.temp = this.root.resolve(TEMP_DIR);
        Files.createDirectories(this.root);
        clearTemp();
        migrateFirstLayout();
    }

    public Path root() {
        return root;
    }

    @Override
    public BlobInfo put(String path, InputStream content, String expectedSha256) throws IOException {
        Path dir = blobDir(path);
        String unique = UUID.randomUUID().toString();
        Path tempBlob = temp.resolve(unique + CONTENT);
        Path tempDigest = temp.resolve(unique + DIGEST);
        try {
            MessageDigest sha = sha256();
            long size = 0;
            try (FileChannel channel = FileChannel.open(tempBlob, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = content.read(buffer)) != -1) {
                    out.write(buffer, 0, n);
                    sha.update(buffer, 0, n);
                    size += n;
                }
                out.flush();
                channel.force(true);
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(actual)) {
                throw new DigestMismatchException(expectedSha256.toLowerCase(), actual);
            }
            try (FileChannel channel = FileChannel.open(tempDigest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap((actual + " " + size + "\n").getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            synchronized (this) {
                // digest and content are replaced together, so concurrent writers never pair one's digest with
                // another's content; the directory is made here, where a delete cannot remove it meanwhile
                Files.createDirectories(dir);
                move(tempDigest, dir.resolve(DIGEST));
                move(tempBlob, dir.resolve(CONTENT));
            }
            fsyncDirectory(dir);
            return new BlobInfo(path, size, actual);
        } finally {
            Files.deleteIfExists(tempBlob);
            Files.deleteIfExists(tempDigest);
        }
    }

    @Override
    public Optional<BlobContent> get(String path) throws IOException {
        Path dir = blobDir(path);
        InputStream stream;
        Optional<BlobInfo> info;
        synchronized (this) {
            info = stat(path);
            if (info.isEmpty()) {
                return Optional.empty();
            }
            try {
                // an open file keeps its content even if a writer renames a new version over it
                stream = Files.newInputStream(dir.resolve(CONTENT));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new BlobContent(info.get(), stream));
    }

    @Override
    public synchronized Optional<BlobInfo> stat(String path) throws IOException {
        Path dir = blobDir(path);
        try {
            String[] sidecar = Files.readString(dir.resolve(DIGEST), StandardCharsets.US_ASCII).trim().split(" ");
            long size = Files.size(dir.resolve(CONTENT));
            return Optional.of(new BlobInfo(path, size, sidecar[0]));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized boolean delete(String path) throws IOException {
        Path dir = blobDir(path);
        boolean removed = Files.deleteIfExists(dir.resolve(CONTENT));
        Files.deleteIfExists(dir.resolve(DIGEST));
        for (Path at = dir; at != null && !at.equals(root) && at.startsWith(root); at = at.getParent()) {
            try {
                Files.deleteIfExists(at);
            } catch (DirectoryNotEmptyException e) {
                break; // other blobs below it
            }
        }
        return removed;
    }

    @Override
    public List<BlobInfo> list(String prefix) throws IOException {
        List<BlobInfo> found = new ArrayList<>();
        for (Path file : files(name -> name.equals(CONTENT))) {
            if (file.getParent().equals(root)) {
                continue;
            }
            String path = root.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), "/");
            if (path.startsWith(prefix)) {
                stat(path).ifPresent(found::add);
            }
        }
        found.sort((a, b) -> a.path().compareTo(b.path()));
        return found;
    }

    /** The regular files under the root (not in {@code @tmp/}) whose names {@code keep} takes. */
    private List<Path> files(Predicate<String> keep) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.equals(temp) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && keep.test(file.getFileName().toString())) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted while the walk went on
                }
                throw e;
            }
        });
        return files;
    }

    private Path blobDir(String path) {
        Path dir = root.resolve(path).normalize();
        if (!dir.startsWith(root) || dir.equals(root) || dir.startsWith(temp)) {
            throw new IllegalArgumentException("path escapes the data directory: " + path);
        }
        return dir;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the data directory does not support atomic rename", e);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // some file systems refuse to open directories; the rename is still atomic
        }
    }

    private void clearTemp() throws IOException {
        Files.createDirectories(temp);
        try (Stream<Path> stale = Files.list(temp)) {
            for (Path file : (Iterable<Path>) stale::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * Renames every file of the first layout into this one: {@code <p>.blob.sha256} to {@code <p>/@sha256},
     * {@code <p>.blob} to {@code <p>/@blob}; its stale {@code .tmp-*} files are removed. Idempotent (a start cut
     * short carries on at the next); a file whose place is taken is left where it is, and logged.
     */
    private void migrateFirstLayout() throws IOException {
        List<Path> files = files(name -> !name.startsWith("@"));
        int moved = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.startsWith(OLD_TEMP_PREFIX)) {
                Files.deleteIfExists(file);
                continue;
            }
            String blob;
            String as;
            if (name.endsWith(OLD_DIGEST_SUFFIX) && name.length() > OLD_DIGEST_SUFFIX.length()) {
                blob = name.substring(0, name.length() - OLD_DIGEST_SUFFIX.length());
                as = DIGEST;
            } else if (name.endsWith(OLD_CONTENT_SUFFIX) && name.length() > OLD_CONTENT_SUFFIX.length()) {
                blob = name.substring(0, name.length() - OLD_CONTENT_SUFFIX.length());
                as = CONTENT;
            } else {
                LOG.warn("event=blobstore_unknown_file file={} (not a blob of either layout: left alone)", file);
                continue;
            }
            Path dir = file.resolveSibling(blob);
            try {
                Files.createDirectories(dir);
                Files.move(file, dir.resolve(as), StandardCopyOption.ATOMIC_MOVE);
                moved++;
            } catch (FileAlreadyExistsException e) {
                LOG.warn("event=blobstore_migration_skipped file={} reason=\"{} exists\"", file, dir.resolve(as));
            }
        }
        if (moved > 0) {
            fsyncDirectory(root);
            LOG.info("event=blobstore_migrated files={} layout=directory-per-blob root={}", moved, root);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
