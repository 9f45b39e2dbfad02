package dev.pier.api.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.testkit.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PEM reading with certificates and keys made by the real openssl. */
class PemCredentialsTest {
    private static TestCertificates.Pair shop;
    private static TestCertificates.Pair blog;

    @BeforeAll
    static void certificates() {
        shop = TestCertificates.selfSigned("shop.example.test");
        blog = TestCertificates.selfSigned("blog.example.test");
    }

    @Test
    void readsAPkcs8KeyAndItsCertificate() {
        PemCredentials c = PemCredentials.parse(shop.certPem(), shop.keyPem());
        assertThat(c.chain()).hasSize(1);
        assertThat(c.chain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=shop.example.test");
        assertThat(c.key().getAlgorithm()).isEqualTo("RSA");
        assertThat(c.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void readsATraditionalPkcs1RsaKey() {
        String pkcs1 = TestCertificates.traditionalRsaKey(shop.keyPem());
        assertThat(pkcs1).contains("BEGIN RSA PRIVATE KEY");
        PemCredentials c = PemCredentials.parse(shop.certPem(), pkcs1);
        assertThat(c.key().getEncoded()).isEqualTo(PemCredentials.parse(shop.certPem(), shop.keyPem()).key()
                .getEncoded());
    }

    @Test
    void refusesAKeyOfAnotherCertificate() {
        assertThatThrownBy(() -> PemCredentials.parse(shop.certPem(), blog.keyPem()))
                .hasMessageContaining("does not belong");
    }

    @Test
    void refusesMalformedPemWithAMessageAndNoKeyMaterial() {
        assertThatThrownBy(() -> PemCredentials.parse("-----BEGIN CERTIFICATE-----\nnot base64!\n"
                + "-----END CERTIFICATE-----\n", shop.keyPem())).hasMessageContaining("certificate");
        assertThatThrownBy(() -> PemCredentials.parse(shop.certPem(), "garbage"))
                .hasMessageContaining("not PEM");
        String truncated = shop.keyPem().substring(0, 200) + "\n-----END PRIVATE KEY-----\n";
        assertThatThrownBy(() -> PemCredentials.parse(shop.certPem(), truncated))
                .hasMessageContaining("cannot be read").hasMessageNotContaining(shop.keyPem().substring(40, 80));
        assertThatThrownBy(() -> PemCredentials.parse(shop.certPem(),
                "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"))
                .hasMessageContaining("openssl pkcs8");
        assertThatThrownBy(() -> PemCredentials.parse(shop.certPem(), null)).hasMessageContaining("both");
    }
}
