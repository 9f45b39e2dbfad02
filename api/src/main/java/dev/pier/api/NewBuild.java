package dev.pier.api;

/**
 * {@code POST /apps/{app}/builds}: build the source tarball at blob path {@code source} (a gzipped tar of the
 * pushed tree, already in the blobstore, under {@code sources/<app>/}) into a slug, then release and deploy it.
 * {@code commit} is recorded with the build; {@code description} becomes the release's (default: the commit).
 */
public record NewBuild(String source, String commit, String description) {
    public NewBuild(String source, String commit) {
        this(source, commit, null);
    }
}
