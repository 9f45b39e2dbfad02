package dev.pier.api;

/**
 * {@code POST /apps/{app}/builds}: build the source tarball at blob path {@code source} (a gzipped tar of
 * the pushed tree, already in the blobstore) into a slug. {@code commit} is recorded with the build.
 */
public record NewBuild(String source, String commit) {
}
