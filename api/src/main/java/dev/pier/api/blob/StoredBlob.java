package dev.pier.api.blob;

/** A blob as the blobstore describes it: path (below /blobs/), size in bytes, sha256 (lower-case hex). */
public record StoredBlob(String path, long size, String sha256) {
}
