package dev.pier.api.blob;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited signed blob URLs: {@code ?expires=<epoch seconds>&signature=<hex>} where the signature
 * is HMAC-SHA256, keyed by the cluster key, over {@code METHOD + "\n" + path + "\n" + expires}. The
 * path is the request path as sent ({@code /blobs/...}), so a signature is useless for another path,
 * another method or after its expiry. Pure: the controller signs, the blobstore verifies.
 */
public final class BlobSignature {
    private final byte[] key;

    public BlobSignature(String clusterKey) {
        if (clusterKey == null || clusterKey.isEmpty()) {
            throw new IllegalArgumentException("the cluster key is empty");
        }
        this.key = clusterKey.getBytes(StandardCharsets.UTF_8);
    }

    /** The signature for {@code method} on {@code path} valid until {@code expires} (epoch seconds). */
    public String sign(String method, String path, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] data = (method + "\n" + path + "\n" + expires).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The query string ({@code expires=..&signature=..}) for a GET of {@code path} until {@code expires}. */
    public String query(String path, Instant expires) {
        long epoch = expires.getEpochSecond();
        return "expires=" + epoch + "&signature=" + sign("GET", path, epoch);
    }

    /** Whether {@code signature} is valid for {@code method} on {@code path} at {@code now}. Constant-time. */
    public boolean verify(String method, String path, String expires, String signature, Instant now) {
        if (expires == null || signature == null || !expires.matches("[0-9]{1,12}") || !signature.matches("[0-9a-f]{64}")) {
            return false;
        }
        long epoch = Long.parseLong(expires);
        if (now.getEpochSecond() > epoch) {
            return false;
        }
        byte[] expected = sign(method, path, epoch).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * {@code url} with a signature for {@code method} until {@code expires} appended, when it is a blobstore
     * URL (its path starts with {@code /blobs/}); any other URL (a slug elsewhere) is returned as it is.
     */
    public String signUrl(String method, String url, Instant expires) {
        URI uri = URI.create(url);
        String path = uri.getRawPath();
        if (path == null || !path.startsWith("/blobs/") || uri.getRawQuery() != null) {
            return url;
        }
        long epoch = expires.getEpochSecond();
        return url + "?expires=" + epoch + "&signature=" + sign(method, path, epoch);
    }
}
