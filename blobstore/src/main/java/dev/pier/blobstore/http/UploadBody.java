package dev.pier.blobstore.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blob's request body as the backend reads it: counts the bytes, refuses more than the limit, and tells a
 * failure of the client's (the connection dropped, a broken chunk, a stalled sender) from the service's own (the
 * disk), which fails elsewhere.
 */
final class UploadBody extends FilterInputStream {
    /** The body grew past the limit: nothing is stored. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("the blob is larger than " + limit + " bytes");
        }
    }

    /** Reading the body failed: the client went away or broke the request. */
    static final class Aborted extends IOException {
        final long received;

        Aborted(long received, IOException cause) {
            super(String.valueOf(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()),
                    cause);
            this.received = received;
        }
    }

    private final long limit;
    private long received;

    UploadBody(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    long received() {
        return received;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = in.read(buffer, offset, length);
        } catch (IOException e) {
            throw new Aborted(received, e);
        }
        if (n > 0) {
            received += n;
            if (received > limit) {
                throw new TooLarge(limit);
            }
        }
        return n;
    }
}
