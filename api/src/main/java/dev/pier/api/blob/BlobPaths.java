package dev.pier.api.blob;

import java.util.UUID;

/** Where the services that share the blobstore keep an app's blobs: one naming, used by each of them. */
public final class BlobPaths {
    private BlobPaths() {
    }

    /**
     * The app's build cache: named by the app's id as well as its name, so that an app created later under a
     * deleted app's name starts with no cache instead of the deleted one's.
     */
    public static String cache(String app, UUID appId) {
        return "caches/" + app + "/" + appId + ".tar.zst";
    }
}
