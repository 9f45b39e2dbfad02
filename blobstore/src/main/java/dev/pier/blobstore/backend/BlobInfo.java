package dev.pier.blobstore.backend;

/** A stored blob: its path, size in bytes and sha256 (lower-case hex). */
public record BlobInfo(String path, long size, String sha256) {
}
