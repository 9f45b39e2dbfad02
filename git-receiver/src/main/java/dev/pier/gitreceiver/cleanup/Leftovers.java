package dev.pier.gitreceiver.cleanup;

import dev.pier.api.blob.BlobPaths;
import dev.pier.gitreceiver.ssh.AppRepositories;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What deleted apps leave in the git receiver's care, as pure functions of what is there and which apps are live
 * (name to id): bare repositories {@code <name>-<id>.git}, build caches {@code caches/<name>/<file>} (the live app's
 * is {@code caches/<name>/<id>.tar.zst}; any other file there is a deleted app's or an earlier layout's) and source
 * tarballs {@code sources/<name>/...} (named by commit, not by app id: they go only when no live app has the name).
 * Slugs stay: the releases of a deleted app stay in its history, and another app's release may run the same slug.
 */
public final class Leftovers {
    private static final Pattern REPOSITORY = Pattern.compile(
            "^([a-z][a-z0-9-]*)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.git$");
    private static final Pattern APP_BLOB = Pattern.compile("^(caches|sources)/([a-z][a-z0-9-]*)/([^/]+)$");

    private Leftovers() {
    }

    /** The repository directory name of an app ({@link AppRepositories#directoryName}). */
    public static String repository(String app, UUID id) {
        return AppRepositories.directoryName(app, id);
    }

    /** The blob path of an app's build cache ({@link BlobPaths#cache}). */
    public static String cache(String app, UUID id) {
        return BlobPaths.cache(app, id);
    }

    /** The app a repository directory {@code <name>-<id>.git} is of, or null for any other name. */
    public static String appOf(String repositoryName) {
        Matcher m = REPOSITORY.matcher(repositoryName);
        return m.matches() ? m.group(1) : null;
    }

    /** The repository directories of apps that are not live (other directories are not the receiver's to judge). */
    public static List<String> repositories(Collection<String> directoryNames, Map<String, UUID> live) {
        return directoryNames.stream().filter(name -> {
            Matcher m = REPOSITORY.matcher(name);
            return m.matches() && !m.group(2).equals(String.valueOf(live.get(m.group(1))));
        }).sorted().toList();
    }

    /** The cache and source blobs that belong to no live app. */
    public static List<String> blobs(Collection<String> paths, Map<String, UUID> live) {
        return paths.stream().filter(path -> {
            Matcher m = APP_BLOB.matcher(path);
            if (!m.matches()) {
                return false;
            }
            UUID id = live.get(m.group(2));
            return m.group(1).equals("sources") ? id == null : id == null || !path.equals(cache(m.group(2), id));
        }).sorted().toList();
    }
}
