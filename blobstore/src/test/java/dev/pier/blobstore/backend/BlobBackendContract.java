package dev.pier.blobstore.backend;

import dev.pier.blobstore.PatternStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link BlobBackend} must do. Subclasses provide a fresh, empty backend. */
public abstract class BlobBackendContract {

    protected abstract BlobBackend backend() throws IOException;

    @Test
    void roundTripKeepsContentSizeAndSha256() throws IOException {
        BlobBackend backend = backend();
        byte[] data = "hello, slug".getBytes(StandardCharsets.UTF_8);
        BlobInfo put = backend.put("apps/a1/slug.tgz", new ByteArrayInputStream(data), null);
        assertThat(put).isEqualTo(new BlobInfo("apps/a1/slug.tgz", data.length, sha256(data)));
        assertThat(backend.stat("apps/a1/slug.tgz")).contains(put);
        try (BlobContent content = backend.get("apps/a1/slug.tgz").orElseThrow()) {
            assertThat(content.info()).isEqualTo(put);
            assertThat(content.stream().readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void emptyBlobIsABlob() throws IOException {
        BlobBackend backend = backend();
        backend.put("empty", InputStream.nullInputStream(), sha256(new byte[0]));
        assertThat(backend.stat("empty")).contains(new BlobInfo("empty", 0, sha256(new byte[0])));
    }

    @Test
    void overwriteReplacesContent() throws IOException {
        BlobBackend backend = backend();
        backend.put("x/y", stream("first version"), null);
        backend.put("x/y", stream("second"), null);
        assertThat(read(backend, "x/y")).isEqualTo("second");
        assertThat(backend.stat("x/y").orElseThrow().size()).isEqualTo(6);
    }

    @Test
    void missingBlobIsEmpty() throws IOException {
        BlobBackend backend = backend();
        assertThat(backend.get("nope/nothing")).isEmpty();
        assertThat(backend.stat("nope/nothing")).isEmpty();
        assertThat(backend.delete("nope/nothing")).isFalse();
    }

    @Test
    void deleteRemovesTheBlob() throws IOException {
        BlobBackend backend = backend();
        backend.put("d/blob", stream("x"), null);
        assertThat(backend.delete("d/blob")).isTrue();
        assertThat(backend.get("d/blob")).isEmpty();
        assertThat(backend.list("")).isEmpty();
    }

    @Test
    void listByPrefixIsSorted() throws IOException {
        BlobBackend backend = backend();
        backend.put("slugs/b", stream("bb"), null);
        backend.put("slugs/a", stream("a"), null);
        backend.put("slugs/sub/c", stream("c"), null);
        backend.put("cache/a", stream("z"), null);
        assertThat(backend.list("slugs/")).extracting(BlobInfo::path).containsExactly("slugs/a", "slugs/b", "slugs/sub/c");
        assertThat(backend.list("")).hasSize(4);
        assertThat(backend.list("slugs/b")).containsExactly(new BlobInfo("slugs/b", 2, sha256("bb".getBytes())));
        assertThat(backend.list("none/")).isEmpty();
    }

    /**
     * Issue #17 item 12: blob {@code x} was stored as the file {@code x.blob}, the directory of blob
     * {@code x.blob/y} (and its digest as {@code x.blob.sha256}, the directory of {@code x.blob.sha256/z}): after
     * both were written, HEAD said 200 while GET and DELETE answered 500. Any valid paths live side by side.
     */
    @Test
    void blobsNamedLikeAnotherBlobsFilesDoNotCollide() throws IOException {
        BlobBackend backend = backend();
        List<String> paths = List.of("x", "x.blob/y", "x.blob.sha256/z", "x/y", "x.blob", "x/y/z", "tmp-1", "a.tmp-b");
        for (String path : paths) {
            backend.put(path, stream("content of " + path), null);
        }
        for (String path : paths) {
            assertThat(read(backend, path)).as(path).isEqualTo("content of " + path);
            assertThat(backend.stat(path)).as(path).hasValueSatisfying(info -> assertThat(info.size())
                    .isEqualTo(("content of " + path).length()));
        }
        assertThat(backend.list("")).extracting(BlobInfo::path).containsExactlyElementsOf(paths.stream().sorted().toList());
        assertThat(backend.list("x.blob")).extracting(BlobInfo::path).containsExactly("x.blob", "x.blob.sha256/z",
                "x.blob/y");
        assertThat(backend.delete("x")).isTrue();
        assertThat(backend.get("x")).isEmpty();
        assertThat(read(backend, "x/y")).isEqualTo("content of x/y");
        assertThat(backend.delete("x/y")).isTrue();
        assertThat(read(backend, "x/y/z")).isEqualTo("content of x/y/z");
        for (String path : List.of("x.blob/y", "x.blob.sha256/z", "x.blob", "x/y/z", "tmp-1", "a.tmp-b")) {
            assertThat(backend.delete(path)).as(path).isTrue();
        }
        assertThat(backend.list("")).isEmpty();
        assertThat(backend.stat("x/y")).isEmpty();
    }

    @Test
    void wrongSha256IsRefusedAndLeavesPreviousVersion() throws IOException {
        BlobBackend backend = backend();
        backend.put("s/blob", stream("old"), null);
        assertThatThrownBy(() -> backend.put("s/blob", stream("new"), sha256("other".getBytes())))
                .isInstanceOf(DigestMismatchException.class);
        assertThat(read(backend, "s/blob")).isEqualTo("old");
        assertThatThrownBy(() -> backend.put("s/fresh", stream("new"), sha256("other".getBytes())))
                .isInstanceOf(DigestMismatchException.class);
        assertThat(backend.stat("s/fresh")).isEmpty();
        assertThat(backend.list("")).extracting(BlobInfo::path).containsExactly("s/blob");
    }

    @Test
    void rightSha256IsAccepted() throws IOException {
        BlobBackend backend = backend();
        byte[] data = "content".getBytes();
        assertThat(backend.put("ok", new ByteArrayInputStream(data), sha256(data)).sha256()).isEqualTo(sha256(data));
    }

    @Test
    void uploadFailingMidwayLeavesNothingAndPreviousVersionIntact() throws IOException {
        BlobBackend backend = backend();
        backend.put("f/blob", stream("previous"), null);
        assertThatThrownBy(() -> backend.put("f/blob", new FailingStream(100_000), null)).isInstanceOf(IOException.class);
        assertThat(read(backend, "f/blob")).isEqualTo("previous");
        assertThatThrownBy(() -> backend.put("f/new", new FailingStream(100_000), null)).isInstanceOf(IOException.class);
        assertThat(backend.stat("f/new")).isEmpty();
        assertThat(backend.list("")).extracting(BlobInfo::path).containsExactly("f/blob");
    }

    @Test
    void largeBlobIsStreamedWithBoundedMemory() throws Exception {
        BlobBackend backend = backend();
        // bigger than the whole heap this JVM may have: a backend that held it in memory could not pass
        long size = Math.max(200L << 20, Runtime.getRuntime().maxMemory() + (64L << 20));
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        BlobInfo info = backend.put("big/slug.tgz", new PatternStream(size, expected), null);
        assertThat(info.size()).isEqualTo(size);
        assertThat(info.sha256()).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        MessageDigest readBack = MessageDigest.getInstance("SHA-256");
        long read = 0;
        try (BlobContent content = backend.get("big/slug.tgz").orElseThrow()) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = content.stream().read(buffer)) != -1) {
                readBack.update(buffer, 0, n);
                read += n;
            }
        }
        assertThat(read).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(readBack.digest())).isEqualTo(info.sha256());
    }

    @Test
    void concurrentWritersToOnePathLastCompleteWriteWinsNeverAMix() throws Exception {
        BlobBackend backend = backend();
        int writers = 6;
        int size = 2 * 1024 * 1024;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<BlobInfo>> results = new ArrayList<>();
            List<String> digests = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] data = new byte[size];
                java.util.Arrays.fill(data, (byte) ('a' + i));
                digests.add(sha256(data));
                results.add(pool.submit(() -> backend.put("race/blob", new ByteArrayInputStream(data), null)));
            }
            for (Future<BlobInfo> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
            BlobInfo info = backend.stat("race/blob").orElseThrow();
            assertThat(digests).contains(info.sha256());
            try (BlobContent content = backend.get("race/blob").orElseThrow()) {
                byte[] all = content.stream().readAllBytes();
                assertThat(all).hasSize(size);
                assertThat(sha256(all)).isEqualTo(info.sha256());
            }
            assertThat(backend.list("")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    protected static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    protected static String read(BlobBackend backend, String path) throws IOException {
        try (BlobContent content = backend.get(path).orElseThrow()) {
            return new String(content.stream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    protected static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Yields some bytes, then fails like a dropped connection. */
    static final class FailingStream extends InputStream {
        private long left;

        FailingStream(long before) {
            this.left = before;
        }

        @Override
        public int read() throws IOException {
            if (left-- <= 0) {
                throw new IOException("connection reset (simulated)");
            }
            return 'x';
        }
    }
}
