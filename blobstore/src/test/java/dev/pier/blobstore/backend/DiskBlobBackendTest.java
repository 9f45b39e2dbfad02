package dev.pier.blobstore.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskBlobBackendTest extends BlobBackendContract {
    @TempDir
    Path dir;

    @Override
    protected BlobBackend backend() throws IOException {
        return new DiskBlobBackend(dir.resolve("data"));
    }

    @Test
    void staleTempFilesAreRemovedOnStartUpAndNeverListed() throws IOException {
        DiskBlobBackend backend = new DiskBlobBackend(dir.resolve("data"));
        backend.put("a/b", stream("kept"), null);
        Path stale = backend.root().resolve("@tmp/crashed.blob");
        Files.writeString(stale, "half a blob");
        Path staleOld = backend.root().resolve("a/.tmp-crashed.blob"); // the first layout's temp files
        Files.writeString(staleOld, "half a blob");
        assertThat(backend.list("")).extracting(BlobInfo::path).containsExactly("a/b");
        DiskBlobBackend restarted = new DiskBlobBackend(dir.resolve("data"));
        assertThat(stale).doesNotExist();
        assertThat(staleOld).doesNotExist();
        assertThat(read(restarted, "a/b")).isEqualTo("kept");
    }

    @Test
    void aBlobIsADirectoryWithItsContentAndItsSha256() throws IOException {
        DiskBlobBackend backend = new DiskBlobBackend(dir.resolve("data"));
        BlobInfo info = backend.put("x/y", stream("abc"), null);
        assertThat(Files.readString(backend.root().resolve("x/y/@blob"))).isEqualTo("abc");
        assertThat(Files.readString(backend.root().resolve("x/y/@sha256"))).isEqualTo(info.sha256() + " 3\n");
        backend.delete("x/y");
        assertThat(backend.root().resolve("x")).as("emptied directories go").doesNotExist();
    }

    /**
     * A data directory written in the first layout ({@code <path>.blob} and {@code <path>.blob.sha256}) is moved to
     * this one when the backend starts, blob by blob: existing stores keep their blobs.
     */
    @Test
    void aStoreInTheFirstLayoutIsMigratedAtStart() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("slugs/shop"));
        Files.writeString(data.resolve("slugs/shop/v1.tgz.blob"), "slug one");
        Files.writeString(data.resolve("slugs/shop/v1.tgz.blob.sha256"), sha256("slug one".getBytes()) + " 8\n");
        Files.writeString(data.resolve("x.blob"), "x");
        Files.writeString(data.resolve("x.blob.sha256"), sha256("x".getBytes()) + " 1\n");
        Files.writeString(data.resolve("y.blob.blob"), "named y.blob");
        Files.writeString(data.resolve("y.blob.blob.sha256"), sha256("named y.blob".getBytes()) + " 12\n");
        Files.writeString(data.resolve(".tmp-abc.blob"), "half");

        DiskBlobBackend backend = new DiskBlobBackend(data);
        assertThat(backend.list("")).extracting(BlobInfo::path).containsExactly("slugs/shop/v1.tgz", "x", "y.blob");
        assertThat(read(backend, "slugs/shop/v1.tgz")).isEqualTo("slug one");
        assertThat(read(backend, "y.blob")).isEqualTo("named y.blob");
        assertThat(backend.stat("x")).contains(new BlobInfo("x", 1, sha256("x".getBytes())));
        try (var files = Files.walk(data)) {
            assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
                    .allMatch(name -> name.equals("@blob") || name.equals("@sha256"));
        }
        // and the blobs the first layout could not hold beside x now can
        backend.put("x.blob/y", stream("below"), null);
        assertThat(read(backend, "x")).isEqualTo("x");
        assertThat(new DiskBlobBackend(data).list("")).hasSize(4);
    }
}
