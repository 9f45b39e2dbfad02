package dev.pier.cli.command;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Passes a stream through, holding back only its last {@code size} bytes, so the end can be looked at before it
 * is written: {@code pier pg dump} streams the dump to stdout, and a failed pg_dump's message, which follows a
 * marker line at the very end of the job's output, goes to stderr instead of into the dump file. Memory: the
 * held tail only, whatever the stream's length.
 */
final class HeldTail extends OutputStream {
    private final OutputStream out;
    private final byte[] held;
    private int length;

    HeldTail(OutputStream out, int size) {
        this.out = out;
        this.held = new byte[size];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int count) throws IOException {
        if (count >= held.length) {
            out.write(held, 0, length);
            out.write(bytes, offset, count - held.length);
            System.arraycopy(bytes, offset + count - held.length, held, 0, held.length);
            length = held.length;
            return;
        }
        int overflow = length + count - held.length;
        if (overflow > 0) {
            out.write(held, 0, overflow);
            System.arraycopy(held, overflow, held, 0, length - overflow);
            length -= overflow;
        }
        System.arraycopy(bytes, offset, held, length, count);
        length += count;
    }

    /** Writes the held tail through: the stream ended as it should. */
    synchronized void release() throws IOException {
        out.write(held, 0, length);
        length = 0;
        out.flush();
    }

    /**
     * The stream ended in failure: what is held before {@code marker} is written through, and the text after it is
     * answered (empty when the tail holds no marker: then everything held is written through).
     */
    synchronized String releaseUpTo(String marker) throws IOException {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        int at = lastIndexOf(Arrays.copyOf(held, length), needle);
        if (at < 0) {
            release();
            return "";
        }
        out.write(held, 0, at);
        out.flush();
        String after = new String(held, at + needle.length, length - at - needle.length, StandardCharsets.UTF_8);
        length = 0;
        return after.strip();
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
