package dev.pier.blobstore.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
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
import java.util.stream.Stream;

/**
 * Blobs as files under a root directory. Each blob directory holds {@code <name>.blob} and
 * {@code <name>.blob.sha256}; both are written to temp files ({@code .tmp-*}) in the same
 * directory, fsynced and renamed atomically, so a reader never sees half a blob. The blob file is
 * renamed last after its sidecar, and a reader checks that the sidecar's recorded size matches.
 * Stale temp files are removed on construction.
 */
public final class DiskBlobBackend implements BlobBackend {
    static final String BLOB_SUFFIX = ".blob";
    static final String DIGEST_SUFFIX = ".blob.sha256";
    static final String TEMP_PREFIX = ".tmp-";
    private static final int BUFFER = 64 * 1024;

    private final Path root;

    public DiskBlobBackend(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
        removeStaleTempFiles();
    }

    public Path root() {
        return root;
    }

    @Override
    public BlobInfo put(String path, InputStream content, String expectedSha256) throws IOException {
        Path blob = blobFile(path);
        Path dir = blob.getParent();
        Files.createDirectories(dir);
        String unique = UUID.randomUUID().toString();
        Path tempBlob = dir.resolve(TEMP_PREFIX + unique + BLOB_SUFFIX);
        Path tempDigest = dir.resolve(TEMP_PREFIX + unique + DIGEST_SUFFIX);
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
                // sidecar and blob are replaced together so concurrent writers never pair one's
                // digest with another's content
                move(tempDigest, digestFile(blob));
                move(tempBlob, blob);
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
        Path blob = blobFile(path);
        InputStream stream;
        Optional<BlobInfo> info;
        synchronized (this) {
            info = stat(path);
            if (info.isEmpty()) {
                return Optional.empty();
            }
            try {
                // an open file keeps its content even if a writer renames a new version over it
                stream = Files.newInputStream(blob);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new BlobContent(info.get(), stream));
    }

    @Override
    public synchronized Optional<BlobInfo> stat(String path) throws IOException {
        Path blob = blobFile(path);
        try {
            String[] sidecar = Files.readString(digestFile(blob), StandardCharsets.US_ASCII).trim().split(" ");
            long size = Files.size(blob);
            return Optional.of(new BlobInfo(path, size, sidecar[0]));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized boolean delete(String path) throws IOException {
        Path blob = blobFile(path);
        boolean removed = Files.deleteIfExists(blob);
        Files.deleteIfExists(digestFile(blob));
        return removed;
    }

    @Override
    public List<BlobInfo> list(String prefix) throws IOException {
        List<BlobInfo> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.endsWith(BLOB_SUFFIX) || name.startsWith(TEMP_PREFIX) || !Files.isRegularFile(file)) {
                    continue;
                }
                String rel = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                String path = rel.substring(0, rel.length() - BLOB_SUFFIX.length());
                if (path.startsWith(prefix)) {
                    stat(path).ifPresent(found::add);
                }
            }
        }
        found.sort((a, b) -> a.path().compareTo(b.path()));
        return found;
    }

    private Path blobFile(String path) {
        Path file = root.resolve(path + BLOB_SUFFIX).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("path escapes the data directory: " + path);
        }
        return file;
    }

    private static Path digestFile(Path blob) {
        String name = blob.getFileName().toString();
        return blob.resolveSibling(name.substring(0, name.length() - BLOB_SUFFIX.length()) + DIGEST_SUFFIX);
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

    private void removeStaleTempFiles() throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    Files.deleteIfExists(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
