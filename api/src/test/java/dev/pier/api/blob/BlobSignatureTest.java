package dev.pier.api.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BlobSignatureTest {
    private final BlobSignature signature = new BlobSignature("cluster-key");
    private final Instant now = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void validSignatureVerifiesUntilExpiry() {
        String sig = signature.sign("GET", "/blobs/a/slug.tgz", 1_800_000_060L);
        assertThat(signature.verify("GET", "/blobs/a/slug.tgz", "1800000060", sig, now)).isTrue();
        assertThat(signature.verify("GET", "/blobs/a/slug.tgz", "1800000060", sig, now.plusSeconds(60))).isTrue();
        assertThat(signature.verify("GET", "/blobs/a/slug.tgz", "1800000060", sig, now.plusSeconds(61))).isFalse();
    }

    @Test
    void signatureIsBoundToPathMethodExpiryAndKey() {
        String sig = signature.sign("GET", "/blobs/a/slug.tgz", 1_800_000_060L);
        assertThat(signature.verify("GET", "/blobs/b/slug.tgz", "1800000060", sig, now)).isFalse();
        assertThat(signature.verify("PUT", "/blobs/a/slug.tgz", "1800000060", sig, now)).isFalse();
        assertThat(signature.verify("GET", "/blobs/a/slug.tgz", "1800000061", sig, now)).isFalse();
        assertThat(new BlobSignature("other").verify("GET", "/blobs/a/slug.tgz", "1800000060", sig, now)).isFalse();
        String tampered = (sig.charAt(0) == '0' ? "1" : "0") + sig.substring(1);
        assertThat(signature.verify("GET", "/blobs/a/slug.tgz", "1800000060", tampered, now)).isFalse();
    }

    @Test
    void malformedInputIsRefused() {
        assertThat(signature.verify("GET", "/blobs/a", null, null, now)).isFalse();
        assertThat(signature.verify("GET", "/blobs/a", "-1", "00", now)).isFalse();
        assertThat(signature.verify("GET", "/blobs/a", "99999999999999999999", "a".repeat(64), now)).isFalse();
        assertThat(signature.query("/blobs/a", Instant.ofEpochSecond(5))).startsWith("expires=5&signature=");
    }

    @Test
    void blobstoreUrlsAreSignedForTheirPathAndOtherUrlsLeftAlone() {
        Instant until = Instant.ofEpochSecond(1_800_000_060L);
        String url = signature.signUrl("PUT", "http://host.docker.internal:8340/blobs/slugs/shop/a%20b.tgz", until);
        assertThat(url).startsWith("http://host.docker.internal:8340/blobs/slugs/shop/a%20b.tgz?expires=1800000060&signature=");
        String sig = url.substring(url.indexOf("signature=") + "signature=".length());
        assertThat(signature.verify("PUT", "/blobs/slugs/shop/a%20b.tgz", "1800000060", sig, now)).isTrue();
        assertThat(signature.verify("GET", "/blobs/slugs/shop/a%20b.tgz", "1800000060", sig, now)).isFalse();
        assertThat(signature.signUrl("GET", "https://example.com/slug.tgz", until)).isEqualTo("https://example.com/slug.tgz");
        assertThat(signature.signUrl("GET", "http://b:1/blobs/x?expires=1&signature=2", until))
                .isEqualTo("http://b:1/blobs/x?expires=1&signature=2");
    }
}
