package dev.pier.blobstore.backend;

import java.io.IOException;
import java.io.InputStream;

/** An open blob: its description and a stream the caller must close. */
public record BlobContent(BlobInfo info, InputStream stream) implements AutoCloseable {
    @Override
    public void close() throws IOException {
        stream.close();
    }
}
