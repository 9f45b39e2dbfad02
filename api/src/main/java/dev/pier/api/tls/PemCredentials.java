package dev.pier.api.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route's certificate chain and private key, read from PEM text and checked to belong together. Pure JDK (no
 * BouncyCastle): keys in PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519) and RSA keys in PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}); encrypted keys and SEC1 EC keys ({@code BEGIN EC PRIVATE KEY}) are refused with
 * a message saying how to convert them.
 */
public record PemCredentials(List<X509Certificate> chain, PrivateKey key) {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};
    private static final byte[] PROBE = "pier key check".getBytes(StandardCharsets.US_ASCII);

    /** Which part of a certificate and key {@link Invalid} is about. */
    public enum Part { CERTIFICATE, KEY, PAIR }

    /**
     * Why PEM text was refused, and which {@link Part}: the certificate chain, the key, or the two together (the key
     * does not belong to the first certificate). The message never contains key material.
     */
    public static final class Invalid extends IllegalArgumentException {
        private final Part part;

        Invalid(Part part, String message) {
            super(message);
            this.part = part;
        }

        public Part part() {
            return part;
        }
    }

    /** Parses and checks; {@link Invalid} says what is wrong and in which part. */
    public static PemCredentials parse(String certPem, String keyPem) {
        if (certPem == null || certPem.isBlank() || keyPem == null || keyPem.isBlank()) {
            throw new Invalid(certPem == null || certPem.isBlank() ? Part.CERTIFICATE : Part.KEY,
                    "a TLS route needs both a certificate and a key");
        }
        List<X509Certificate> chain;
        try {
            chain = certificates(certPem);
        } catch (IllegalArgumentException e) {
            throw new Invalid(Part.CERTIFICATE, e.getMessage());
        }
        PrivateKey key;
        try {
            key = privateKey(keyPem);
        } catch (IllegalArgumentException e) {
            throw new Invalid(Part.KEY, e.getMessage());
        }
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new Invalid(Part.PAIR, "the private key does not belong to the first certificate");
        }
        return new PemCredentials(chain, key);
    }

    static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream().map(X509Certificate.class::cast).toList();
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("no certificate in the certificate PEM");
            }
            return chain;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("the certificate is not a PEM X.509 chain");
        }
    }

    static PrivateKey privateKey(String pem) {
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("the key is not PEM text");
        }
        String type = m.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key's PEM body is not base64");
        }
        byte[] pkcs8 = switch (type) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> rsaPkcs1ToPkcs8(der);
            case "EC PRIVATE KEY" -> throw new IllegalArgumentException(
                    "SEC1 EC keys are not supported: convert with 'openssl pkcs8 -topk8 -nocrypt'");
            case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("encrypted keys are not supported");
            default -> throw new IllegalArgumentException("unsupported key PEM type '" + type + "'");
        };
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("the key cannot be read (not RSA, EC or EdDSA in PKCS#8)");
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, the key as octets). */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        byte[] octets = der(0x04, pkcs1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(version);
        body.writeBytes(algorithm);
        body.writeBytes(octets);
        return der(0x30, body.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n <= 0xff) {
            out.write(0x81);
            out.write(n);
        } else if (n <= 0xffff) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** Whether {@code key} signs what {@code publicKey} verifies. */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The chain as an array, for Netty's {@code SslContextBuilder}. */
    public X509Certificate[] chainArray() {
        return chain.toArray(new X509Certificate[0]);
    }

    @Override
    public String toString() {
        Certificate first = chain.get(0);
        return "PemCredentials[" + ((X509Certificate) first).getSubjectX500Principal() + "]";
    }
}
