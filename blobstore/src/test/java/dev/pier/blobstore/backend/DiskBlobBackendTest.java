package dev.pier.blobstore.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Path stale = backend.root().resolve("a/.tmp-crashed.blob");
        Files.writeString(stale, "half a blob");
        assertThat(backend.list("")).extracting(BlobInfo::path).containsExactly("a/b");
        DiskBlobBackend restarted = new DiskBlobBackend(dir.resolve("data"));
        assertThat(stale).doesNotExist();
        assertThat(read(restarted, "a/b")).isEqualTo("kept");
    }

    @Test
    void sha256IsKeptBesideTheBlob() throws IOException {
        DiskBlobBackend backend = new DiskBlobBackend(dir.resolve("data"));
        BlobInfo info = backend.put("x", stream("abc"), null);
        assertThat(Files.readString(backend.root().resolve("x.blob.sha256"))).startsWith(info.sha256());
    }
}
