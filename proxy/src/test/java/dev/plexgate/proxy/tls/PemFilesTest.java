package dev.plexgate.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.proxy.testing.TestPki;
import dev.plexgate.proxy.testing.TestPki.Issued;
import dev.plexgate.proxy.testing.TestPki.KeyFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PemFilesTest {

    private static final String PASSWORD = "correct horse";

    private static TestPki pki;
    private static Issued ec;
    private static Issued rsa;

    @TempDir
    Path dir;

    @BeforeAll
    static void issue() {
        pki = TestPki.create("test CA");
        ec = pki.server("plexbox.lan");
        rsa = pki.rsaServer(2048, "plexbox.lan");
    }

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void readsAnEcKeyInEveryFormat(KeyFormat format) throws Exception {
        Path file = TestPki.writeKey(dir.resolve("ec.key"), ec.key(), format, PASSWORD);

        PrivateKey key = PemFiles.privateKey(file, encrypted(format) ? PASSWORD.toCharArray() : null);

        assertThat(key.getAlgorithm()).isEqualTo("EC");
        assertThat(((ECPrivateKey) key).getS()).isEqualTo(((ECPrivateKey) ec.key()).getS());
    }

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void readsAnRsaKeyInEveryFormat(KeyFormat format) throws Exception {
        Path file = TestPki.writeKey(dir.resolve("rsa.key"), rsa.key(), format, PASSWORD);
        if (format == KeyFormat.TRADITIONAL) {
            assertThat(Files.readString(file)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        }

        PrivateKey key = PemFiles.privateKey(file, encrypted(format) ? PASSWORD.toCharArray() : null);

        assertThat(key.getAlgorithm()).isEqualTo("RSA");
        assertThat(((RSAPrivateKey) key).getPrivateExponent()).isEqualTo(((RSAPrivateKey) rsa.key()).getPrivateExponent());
    }

    @Test
    void sec1KeyWithItsEcParametersBlockFirst() throws Exception {
        Path file = TestPki.writeKey(dir.resolve("ec.key"), ec.key(), KeyFormat.TRADITIONAL, null);
        assertThat(Files.readString(file)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        // What `openssl ecparam -genkey -name prime256v1` writes: the curve's OID before the key.
        Files.writeString(file, "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
                + Files.readString(file));

        assertThat(((ECPrivateKey) PemFiles.privateKey(file, null)).getS()).isEqualTo(((ECPrivateKey) ec.key()).getS());
    }

    @ParameterizedTest
    @EnumSource(value = KeyFormat.class, names = {"ENCRYPTED_PKCS8", "LEGACY_ENCRYPTED"})
    void wrongPasswordSaysSoWithoutQuotingTheFile(KeyFormat format) {
        Path file = TestPki.writeKey(dir.resolve("enc.key"), ec.key(), format, PASSWORD);

        assertThatThrownBy(() -> PemFiles.privateKey(file, "wrong".toCharArray()))
                .isInstanceOf(TlsFileException.class)
                .hasMessage(file + ": cannot decrypt the key: wrong password in key_password_file, or a damaged file");
    }

    @ParameterizedTest
    @EnumSource(value = KeyFormat.class, names = {"ENCRYPTED_PKCS8", "LEGACY_ENCRYPTED"})
    void encryptedKeyWithoutPasswordAsksForKeyPasswordFile(KeyFormat format) {
        Path file = TestPki.writeKey(dir.resolve("enc.key"), ec.key(), format, PASSWORD);

        assertThatThrownBy(() -> PemFiles.privateKey(file, null))
                .hasMessage(file + ": the key is encrypted (expected: key_password_file naming a file with its password)");
    }

    @Test
    void readsAChainInFileOrder() throws Exception {
        Path file = TestPki.writeCertificates(dir.resolve("chain.pem"), ec.certificate(), pki.caCertificate());

        List<X509Certificate> chain = PemFiles.certificates(file);

        assertThat(chain).containsExactly(ec.certificate(), pki.caCertificate());
    }

    @Test
    void keyGivenAsCertificateAndCertificateGivenAsKeyAreNamed() {
        Path key = TestPki.writeKey(dir.resolve("server.key"), ec.key(), KeyFormat.PKCS8, null);
        Path certificate = TestPki.writeCertificates(dir.resolve("server.pem"), ec.certificate());

        assertThatThrownBy(() -> PemFiles.certificates(key))
                .hasMessageStartingWith(key + ": holds a private key, not a certificate");
        assertThatThrownBy(() -> PemFiles.privateKey(certificate, null))
                .hasMessage(certificate + ": holds a certificate, not a private key (expected: the key file)");
    }

    @Test
    void emptyMissingBinaryAndDamagedFilesAreExplained() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path missing = dir.resolve("missing.pem");
        Path der = Files.write(dir.resolve("server.der"), ec.certificate().getEncoded());
        String pem = Files.readString(TestPki.writeCertificates(dir.resolve("ok.pem"), ec.certificate()));
        Path damaged = Files.writeString(dir.resolve("damaged.pem"), pem.replace("-----END CERTIFICATE-----", ""));

        assertThatThrownBy(() -> PemFiles.certificates(empty)).hasMessageStartingWith(empty + ": no certificate found");
        assertThatThrownBy(() -> PemFiles.certificates(missing)).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> PemFiles.certificates(der)).hasMessageStartingWith(der + ": not PEM text (binary DER?");
        assertThatThrownBy(() -> PemFiles.certificates(damaged)).hasMessageStartingWith(damaged + ": not valid PEM");
        assertThatThrownBy(() -> PemFiles.privateKey(empty, null)).hasMessageStartingWith(empty + ": no private key found");
    }

    @Test
    void damagedKeyErrorNeverQuotesTheKey() throws Exception {
        Path file = TestPki.writeKey(dir.resolve("server.key"), ec.key(), KeyFormat.PKCS8, null);
        List<String> lines = Files.readAllLines(file);
        String body = lines.get(1);
        Files.write(file, List.of(lines.get(0), body.substring(0, body.length() / 2) + "!!", lines.get(lines.size() - 1)));

        assertThatThrownBy(() -> PemFiles.privateKey(file, null))
                .isInstanceOf(TlsFileException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body.substring(0, 16)));
    }

    @Test
    void weakRsaKeyIsRefused() {
        Issued weak = pki.rsaServer(1024, "old.lan");
        Path file = TestPki.writeKey(dir.resolve("weak.key"), weak.key(), KeyFormat.PKCS8, null);

        assertThatThrownBy(() -> PemFiles.privateKey(file, null))
                .hasMessage(file + ": an RSA key of 1024 bits is too weak (expected: 2048 bits or more)");
    }

    private static boolean encrypted(KeyFormat format) {
        return format == KeyFormat.ENCRYPTED_PKCS8 || format == KeyFormat.LEGACY_ENCRYPTED;
    }
}
