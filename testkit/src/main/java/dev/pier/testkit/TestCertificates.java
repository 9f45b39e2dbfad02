package dev.pier.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Self-signed certificates made by the real {@code openssl} for tests, and a client context trusting them. */
public final class TestCertificates {
    private static final Duration OPENSSL = Duration.ofSeconds(60);

    /** A certificate ({@code CN} and subjectAltName {@code domain}) and its key, as PEM text. */
    public record Pair(String domain, String certPem, String keyPem) {
        public X509Certificate certificate() {
            try {
                return (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(certPem.getBytes(StandardCharsets.US_ASCII)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestCertificates() {
    }

    public static void requireOpenssl() {
        Requirements.require(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl");
    }

    /** {@code openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=<domain> -days 1} (+ subjectAltName). */
    public static Pair selfSigned(String domain) {
        requireOpenssl();
        try {
            Path dir = Files.createTempDirectory("pier-test-cert-");
            try {
                Path key = dir.resolve("key.pem");
                Path cert = dir.resolve("cert.pem");
                Command.check(OPENSSL, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-subj", "/CN=" + domain, "-addext", "subjectAltName=DNS:" + domain, "-days", "1",
                        "-keyout", key.toString(), "-out", cert.toString()));
                return new Pair(domain, Files.readString(cert), Files.readString(key));
            } finally {
                Command.run(OPENSSL, List.of("rm", "-rf", dir.toString()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same key in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), by {@code openssl rsa -traditional}. */
    public static String traditionalRsaKey(String pkcs8Pem) {
        requireOpenssl();
        try {
            Path dir = Files.createTempDirectory("pier-test-key-");
            try {
                Path in = Files.writeString(dir.resolve("in.pem"), pkcs8Pem);
                Path out = dir.resolve("out.pem");
                Command.check(OPENSSL, List.of("openssl", "rsa", "-in", in.toString(), "-traditional",
                        "-out", out.toString()));
                return Files.readString(out);
            } finally {
                Command.run(OPENSSL, List.of("rm", "-rf", dir.toString()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client TLS context that trusts exactly these certificates. */
    public static SSLContext trusting(Pair... pairs) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (Pair p : pairs) {
                store.setCertificateEntry(p.domain(), p.certificate());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
