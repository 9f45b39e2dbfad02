package dev.pier.blobstore.backend;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where blobs live. Paths given to a backend are already validated (see {@code BlobPaths.problem}).
 * Every implementation must pass {@code BlobBackendContract}.
 */
public interface BlobBackend {

    /**
     * Streams {@code content} into the blob at {@code path}, computing its sha256 while writing.
     * The new version becomes visible only once complete; if the stream fails or the digest differs
     * from {@code expectedSha256} (lower-case hex, may be null) nothing changes and the previous
     * version, if any, stays intact.
     *
     * @throws DigestMismatchException when {@code expectedSha256} does not match the content
     */
    BlobInfo put(String path, InputStream content, String expectedSha256) throws IOException;

    /** Opens the blob for streaming; the caller closes it. Empty when there is no such blob. */
    Optional<BlobContent> get(String path) throws IOException;

    /** Size and sha256 without reading the content. */
    Optional<BlobInfo> stat(String path) throws IOException;

    /** @return true when a blob was removed */
    boolean delete(String path) throws IOException;

    /** Every blob whose path starts with {@code prefix} ("" for all), sorted by path. */
    List<BlobInfo> list(String prefix) throws IOException;
}
