package dev.pier.api;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/**
 * One OpenSSH public key line ({@code type base64 [comment]}), parsed and checked: the declared type must be
 * one Pier accepts and must match the type inside the key blob, whose structure is checked too. The
 * fingerprint is OpenSSH's {@code SHA256:} form, the same that {@code ssh-keygen -l} and Apache SSHD print.
 */
public record SshPublicKey(String type, String base64, String comment, String fingerprint) {
    public static final int MAX_LENGTH = 16 * 1024;
    public static final Set<String> TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
            "sk-ecdsa-sha2-nistp256@openssh.com");
    private static final int MIN_RSA_BITS = 2048;

    /** Thrown with a message fit to show the user. */
    public static final class InvalidKeyException extends IllegalArgumentException {
        public InvalidKeyException(String message) {
            super(message);
        }
    }

    public static SshPublicKey parse(String line) {
        if (line == null || line.isBlank()) {
            throw new InvalidKeyException("key is empty: give the contents of a public key file such as ~/.ssh/id_ed25519.pub");
        }
        if (line.length() > MAX_LENGTH) {
            throw new InvalidKeyException("key is longer than " + MAX_LENGTH + " characters");
        }
        String text = line.strip();
        if (text.contains("PRIVATE KEY")) {
            throw new InvalidKeyException("this is a PRIVATE key: never share it; give the .pub file instead");
        }
        if (text.startsWith("-----BEGIN")) {
            throw new InvalidKeyException("PEM keys are not accepted: give an OpenSSH public key line (ssh-keygen -y -f KEY)");
        }
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new InvalidKeyException("give one key at a time (the text has several lines)");
        }
        String[] parts = text.split("\\s+", 3);
        String type = parts[0];
        if (!TYPES.contains(type)) {
            throw new InvalidKeyException("key type '" + Names.printable(type) + "' is not supported (expected one of "
                    + "ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521, sk-ssh-ed25519@openssh.com)");
        }
        if (parts.length < 2) {
            throw new InvalidKeyException("key has no data after its type");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("key data is not valid base64");
        }
        checkBlob(type, blob);
        String comment = parts.length > 2 ? parts[2].strip() : null;
        if (comment != null && comment.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidKeyException("key comment contains control characters");
        }
        return new SshPublicKey(type, parts[1], comment == null || comment.isEmpty() ? null : comment,
                fingerprintOf(blob));
    }

    private static void checkBlob(String type, byte[] blob) {
        ByteBuffer in = ByteBuffer.wrap(blob);
        try {
            String inner = new String(readString(in), StandardCharsets.US_ASCII);
            if (!inner.equals(type)) {
                throw new InvalidKeyException("key says it is " + type + " but its data is " + Names.printable(inner));
            }
            switch (type) {
                case "ssh-ed25519", "sk-ssh-ed25519@openssh.com" -> {
                    if (readString(in).length != 32) {
                        throw new InvalidKeyException("ed25519 key data has the wrong length");
                    }
                }
                case "ssh-rsa" -> {
                    readString(in); // public exponent
                    int bits = new BigInteger(1, readString(in)).bitLength();
                    if (bits < MIN_RSA_BITS) {
                        throw new InvalidKeyException("RSA key has " + bits + " bits; use at least " + MIN_RSA_BITS
                                + " (or an ed25519 key)");
                    }
                }
                default -> {
                    readString(in); // curve name
                    if (readString(in).length == 0) {
                        throw new InvalidKeyException("ECDSA key has no public point");
                    }
                }
            }
            if (type.startsWith("sk-")) {
                readString(in); // application
            }
            if (in.hasRemaining()) {
                throw new InvalidKeyException("key data has trailing bytes");
            }
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new InvalidKeyException("key data is truncated or corrupt");
        }
    }

    private static byte[] readString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    /** OpenSSH's fingerprint of a key blob: {@code SHA256:} and unpadded base64 of its SHA-256. */
    public static String fingerprintOf(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fingerprint with a URL-safe alphabet, to put in a path. */
    public static String urlSafe(String fingerprint) {
        return fingerprint.replace('+', '-').replace('/', '_');
    }

    /** Accepts either alphabet and returns OpenSSH's. */
    public static String canonicalFingerprint(String given) {
        return given.replace('-', '+').replace('_', '/');
    }
}
