package dev.pier.blobstore;

import java.io.InputStream;
import java.security.MessageDigest;

/** A deterministic stream of {@code size} bytes that is never materialised; feeds a digest as it goes. */
public final class PatternStream extends InputStream {
    private final long size;
    private final MessageDigest digest;
    private long position;

    public PatternStream(long size, MessageDigest digest) {
        this.size = size;
        this.digest = digest;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - position);
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) ((position + i) * 31 >>> 3);
        }
        digest.update(b, off, n);
        position += n;
        return n;
    }
}
