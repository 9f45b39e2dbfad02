package dev.pier.blobstore;

/** Placeholder until the blobstore service is built (see its issue); keeps the reactor building. */
public final class BlobstoreApplication {
    private BlobstoreApplication() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("the blobstore service is not built yet");
    }
}
