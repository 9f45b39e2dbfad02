package dev.pier.blobstore.backend;

import java.io.IOException;

/** The uploaded content's sha256 differs from the one the client announced; nothing was stored. */
public class DigestMismatchException extends IOException {
    private final String expected;
    private final String actual;

    public DigestMismatchException(String expected, String actual) {
        super("sha256 mismatch: expected " + expected + ", content has " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
