package dev.pier.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SshPublicKeyTest {
    // A well-formed key; ControllerTest checks fingerprints against the real ssh-keygen.
    private static final String ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ana@laptop";

    private static String blob(Object... parts) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (Object part : parts) {
            byte[] data = part instanceof String s ? s.getBytes(StandardCharsets.US_ASCII) : (byte[]) part;
            out.writeInt(data.length);
            out.write(data);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    @Test
    void parsesAnEd25519KeyWithItsComment() {
        SshPublicKey key = SshPublicKey.parse(ED25519 + "\n");
        assertThat(key.type()).isEqualTo("ssh-ed25519");
        assertThat(key.comment()).isEqualTo("ana@laptop");
        assertThat(key.fingerprint()).startsWith("SHA256:").hasSize(50);
        assertThat(SshPublicKey.canonicalFingerprint(SshPublicKey.urlSafe(key.fingerprint()))).isEqualTo(key.fingerprint());
        assertThat(SshPublicKey.urlSafe(key.fingerprint())).doesNotContain("/", "+");
    }

    @Test
    void checksTheBlobAgainstTheDeclaredType() throws IOException {
        String rsaInEd25519 = "ssh-ed25519 " + blob("ssh-rsa", new byte[] {1}, new byte[] {1});
        assertThatThrownBy(() -> SshPublicKey.parse(rsaInEd25519)).hasMessageContaining("but its data is ssh-rsa");
        String shortEd = "ssh-ed25519 " + blob("ssh-ed25519", new byte[31]);
        assertThatThrownBy(() -> SshPublicKey.parse(shortEd)).hasMessageContaining("wrong length");
        String truncated = "ssh-ed25519 " + Base64.getEncoder().encodeToString(new byte[] {0, 0, 0, 11, 's'});
        assertThatThrownBy(() -> SshPublicKey.parse(truncated)).hasMessageContaining("truncated");
    }

    @Test
    void refusesWeakRsaKeys() throws IOException {
        byte[] modulus1024 = BigInteger.ONE.shiftLeft(1023).toByteArray();
        byte[] modulus2048 = BigInteger.ONE.shiftLeft(2047).toByteArray();
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-rsa " + blob("ssh-rsa", new byte[] {1, 0, 1}, modulus1024)))
                .hasMessageContaining("1024 bits");
        assertThat(SshPublicKey.parse("ssh-rsa " + blob("ssh-rsa", new byte[] {1, 0, 1}, modulus2048)).type())
                .isEqualTo("ssh-rsa");
    }

    @Test
    void refusesWhatIsNotAPublicKeyLine() {
        assertThatThrownBy(() -> SshPublicKey.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> SshPublicKey.parse("-----BEGIN OPENSSH PRIVATE KEY-----\nabc"))
                .hasMessageContaining("PRIVATE key");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-dss AAAA")).hasMessageContaining("not supported");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519")).hasMessageContaining("no data");
        assertThatThrownBy(() -> SshPublicKey.parse("ssh-ed25519 !!!")).hasMessageContaining("base64");
        assertThatThrownBy(() -> SshPublicKey.parse(ED25519 + "\n" + ED25519)).hasMessageContaining("one key at a time");
        assertThatThrownBy(() -> SshPublicKey.parse("x".repeat(SshPublicKey.MAX_LENGTH + 1))).hasMessageContaining("longer");
    }
}
