package dev.plexgate.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.proxy.testing.TestPki;
import dev.plexgate.proxy.testing.TestPki.Issued;
import dev.plexgate.proxy.testing.TestPki.KeyFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerIdentityTest {

    private final TestPki pki = TestPki.create("test CA");

    @TempDir
    Path dir;

    @Test
    void loadsAChainAndItsKey() throws Exception {
        Issued server = pki.server("plexbox.lan");

        ServerIdentity identity = ServerIdentity.load(files(server, pki.caCertificate()), Instant.now());

        assertThat(identity.certificate()).isEqualTo(server.certificate());
        assertThat(identity.notAfter()).isEqualTo(server.certificate().getNotAfter().toInstant());
        assertThat(identity.requiresClientCertificate()).isFalse();
        assertThat(identity.context().isServer()).isTrue();
    }

    @Test
    void encryptedKeyWithItsPasswordFile() throws Exception {
        Issued server = pki.server("plexbox.lan");
        Path certificate = TestPki.writeCertificates(dir.resolve("server.pem"), server.certificate());
        Path key = TestPki.writeKey(dir.resolve("server.key"), server.key(), KeyFormat.ENCRYPTED_PKCS8, "s3cret");
        Path password = Files.writeString(dir.resolve("key.password"), "s3cret\n");

        ServerIdentity identity = ServerIdentity.load(new ServerTlsFiles(certificate, key, password, null), Instant.now());

        assertThat(identity.certificate()).isEqualTo(server.certificate());
    }

    @Test
    void emptyPasswordFileIsRefused() throws Exception {
        Issued server = pki.server("plexbox.lan");
        Path certificate = TestPki.writeCertificates(dir.resolve("server.pem"), server.certificate());
        Path key = TestPki.writeKey(dir.resolve("server.key"), server.key(), KeyFormat.ENCRYPTED_PKCS8, "s3cret");
        Path password = Files.writeString(dir.resolve("key.password"), "\n");

        assertThatThrownBy(() -> ServerIdentity.load(new ServerTlsFiles(certificate, key, password, null), Instant.now()))
                .hasMessage(password + ": is empty (expected: the key's password on the first line)");
    }

    @Test
    void expiredCertificateNamesItsEndDate() {
        Instant now = Instant.now();
        Issued expired = pki.server(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35)), "plexbox.lan");
        ServerTlsFiles files = files(expired);

        assertThatThrownBy(() -> ServerIdentity.load(files, now))
                .isInstanceOf(TlsFileException.class)
                .hasMessageStartingWith(files.certificate() + ": the certificate (CN=plexbox.lan) expired on "
                        + expired.certificate().getNotAfter().toInstant());
    }

    @Test
    void certificateNotYetValidPointsAtTheClock() {
        Instant now = Instant.now();
        Issued future = pki.server(now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(300)), "plexbox.lan");

        assertThatThrownBy(() -> ServerIdentity.load(files(future), now))
                .hasMessageContaining("is not valid before")
                .hasMessageContaining("is this machine's clock right?");
    }

    @Test
    void keyOfAnotherCertificateIsRefused() {
        Issued server = pki.server("plexbox.lan");
        Issued other = pki.server("other.lan");
        Path certificate = TestPki.writeCertificates(dir.resolve("server.pem"), server.certificate());
        Path key = TestPki.writeKey(dir.resolve("other.key"), other.key(), KeyFormat.PKCS8, null);

        assertThatThrownBy(() -> ServerIdentity.load(new ServerTlsFiles(certificate, key, null, null), Instant.now()))
                .hasMessage(key + ": the key does not match the certificate in " + certificate + " (CN=plexbox.lan)");
    }

    @Test
    void chainInTheWrongOrderIsExplained() {
        Issued server = pki.server("plexbox.lan");
        Path certificate = TestPki.writeCertificates(dir.resolve("server.pem"), pki.caCertificate(),
                server.certificate());
        Path key = TestPki.writeKey(dir.resolve("server.key"), server.key(), KeyFormat.PKCS8, null);

        assertThatThrownBy(() -> ServerIdentity.load(new ServerTlsFiles(certificate, key, null, null), Instant.now()))
                .hasMessage(certificate + ": the key belongs to certificate 2 of the file, not the first (expected: "
                        + "the server's certificate first, then its CAs)");
    }

    @Test
    void clientCaMakesClientCertificatesRequired() throws Exception {
        Issued server = pki.server("plexbox.lan");
        ServerTlsFiles plain = files(server);
        Path clientCa = TestPki.writeCertificates(dir.resolve("clients.pem"), TestPki.create("clients").caCertificate());

        ServerIdentity identity = ServerIdentity.load(
                new ServerTlsFiles(plain.certificate(), plain.key(), null, clientCa), Instant.now());

        assertThat(identity.requiresClientCertificate()).isTrue();
        assertThat(identity.files().all()).containsExactly(plain.certificate(), plain.key(), clientCa);
    }

    private ServerTlsFiles files(Issued server, java.security.cert.X509Certificate... cas) {
        java.security.cert.X509Certificate[] chain = new java.security.cert.X509Certificate[cas.length + 1];
        chain[0] = server.certificate();
        System.arraycopy(cas, 0, chain, 1, cas.length);
        Path certificate = TestPki.writeCertificates(dir.resolve("server.pem"), chain);
        Path key = TestPki.writeKey(dir.resolve("server.key"), server.key(), KeyFormat.PKCS8, null);
        return new ServerTlsFiles(certificate, key, null, null);
    }
}
