package dev.plexgate.control.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TlsFilesTest {

    @TempDir
    Path temp;

    private final SecureRandom random = new SecureRandom();
    private final Instant now = Instant.now();

    @Test
    void writeAll_createsTheDirectoryOwnerOnly_keysOwnerOnly_certificatesReadable() throws Exception {
        TlsFiles files = new TlsFiles(temp.resolve("etc/tls"));

        writeAll(files, "plexbox.lan");

        assertThat(mode(files.directory())).isEqualTo("rwx------");
        assertThat(mode(files.caKey())).isEqualTo("rw-------");
        assertThat(mode(files.serverKey())).isEqualTo("rw-------");
        assertThat(mode(files.caCertificate())).isEqualTo("rw-r--r--");
        assertThat(mode(files.serverCertificate())).isEqualTo("rw-r--r--");
        try (var names = Files.list(files.directory())) {
            assertThat(names.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder("ca.pem", "ca.key", "server.pem", "server.key");
        }
    }

    @Test
    void writeAll_serverPemIsTheChain_keysArePkcs8AndMatchTheirCertificates() throws Exception {
        TlsFiles files = new TlsFiles(temp);
        LocalCa ca = writeAll(files, "plexbox.lan");

        X509Certificate caCertificate = PemReading.certificate(files.caCertificate());
        List<X509Certificate> chain = PemReading.certificates(files.serverCertificate());

        assertThat(caCertificate).isEqualTo(ca.certificate());
        assertThat(chain).hasSize(2).endsWith(caCertificate);
        assertThat(PemReading.belongTogether(PemReading.privateKey(files.caKey()), caCertificate)).isTrue();
        assertThat(PemReading.belongTogether(PemReading.privateKey(files.serverKey()), chain.get(0))).isTrue();
        assertThat(Files.readString(files.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----\n");
        PemReading.validate(chain, caCertificate);
    }

    @Test
    void directory_isMadeAbsolute_forThePathsPrintedForCloudflared() {
        TlsFiles files = new TlsFiles(Path.of("tls/../tls"));

        assertThat(files.caCertificate()).isEqualTo(Path.of("tls/ca.pem").toAbsolutePath());
    }

    @Test
    void existing_listsTheFilesThatInitWouldOverwrite() throws Exception {
        TlsFiles files = new TlsFiles(temp);
        Files.writeString(files.serverKey(), "");
        Files.createSymbolicLink(files.caCertificate(), temp.resolve("nowhere"));

        assertThat(files.existing()).containsExactly(files.caCertificate(), files.serverKey());
    }

    @Test
    void readCa_returnsTheCaWritten() throws Exception {
        TlsFiles files = new TlsFiles(temp);
        LocalCa written = writeAll(files, "plexbox.lan");

        LocalCa read = files.readCa();

        assertThat(read.certificate()).isEqualTo(written.certificate());
        assertThat(read.key().getEncoded()).isEqualTo(written.key().getEncoded());
    }

    @Test
    void readCa_missingFiles_isRefused_sayingToRunInit() {
        TlsFiles files = new TlsFiles(temp);

        assertThatThrownBy(files::readCa)
                .isInstanceOfSatisfying(TlsRefusal.class, refusal -> assertThat(refusal.exitCode()).isEqualTo(1))
                .hasMessage("no local CA in " + temp + ": " + files.caCertificate() + ", " + files.caKey()
                        + " are missing; run `plexgate tls init` first");
    }

    @Test
    void readCa_keyOfAnotherCa_isInvalid() throws Exception {
        TlsFiles files = new TlsFiles(temp);
        writeAll(files, "plexbox.lan");
        TlsFiles other = new TlsFiles(temp.resolve("other"));
        writeAll(other, "plexbox.lan");
        Files.copy(other.caKey(), files.caKey(), StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(files::readCa)
                .isInstanceOfSatisfying(TlsRefusal.class, refusal -> assertThat(refusal.exitCode()).isEqualTo(2))
                .hasMessage(files.caKey() + ": not the key of " + files.caCertificate() + " (expected: the two files"
                        + " `plexgate tls init` wrote together)");
    }

    @Test
    void readCa_leafCertificateAsCa_isInvalid() throws Exception {
        TlsFiles files = new TlsFiles(temp);
        writeAll(files, "plexbox.lan");
        Files.copy(files.serverCertificate(), files.caCertificate(), StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(files::readCa)
                .hasMessage(files.caCertificate() + ": not a CA certificate (expected: the ca.pem of `plexgate tls init`)");
    }

    @Test
    void readCa_damagedFile_namesItThroughPemFiles() throws Exception {
        TlsFiles files = new TlsFiles(temp);
        writeAll(files, "plexbox.lan");
        Files.writeString(files.caKey(), "not a key\n");

        assertThatThrownBy(files::readCa)
                .isInstanceOfSatisfying(TlsRefusal.class, refusal -> assertThat(refusal.exitCode()).isEqualTo(2))
                .hasMessageStartingWith(files.caKey() + ": ");
    }

    @Test
    void serverNames_areThoseOfTheCertificateInPlace() throws Exception {
        TlsFiles files = new TlsFiles(temp);
        LocalCa ca = LocalCa.create("plexgate local CA test", now, random);
        SubjectNames names = SubjectNames.parse(List.of("plexbox.lan", "plex"), List.of("192.168.1.10", "2001:db8::10"));
        files.writeAll(ca, ca.issue(names, now, random), null);

        assertThat(files.serverNames()).isEqualTo(names);
    }

    @Test
    void serverNames_withoutServerCertificate_isRefused() {
        TlsFiles files = new TlsFiles(temp);

        assertThatThrownBy(files::serverNames)
                .isInstanceOfSatisfying(TlsRefusal.class, refusal -> assertThat(refusal.exitCode()).isEqualTo(1))
                .hasMessage(files.serverCertificate() + " does not exist: give the names of the new certificate"
                        + " with --name and --ip");
    }

    @Test
    void writeServer_replacesTheServerFilesOnly() throws Exception {
        TlsFiles files = new TlsFiles(temp);
        LocalCa ca = writeAll(files, "plexbox.lan");
        byte[] caPem = Files.readAllBytes(files.caCertificate());
        byte[] caKey = Files.readAllBytes(files.caKey());
        byte[] serverPem = Files.readAllBytes(files.serverCertificate());

        files.writeServer(ca, ca.issue(SubjectNames.parse(List.of("plex"), List.of()), now, random), null);

        assertThat(files.caCertificate()).hasBinaryContent(caPem);
        assertThat(files.caKey()).hasBinaryContent(caKey);
        assertThat(Files.readAllBytes(files.serverCertificate())).isNotEqualTo(serverPem);
        assertThat(files.serverNames().hosts()).containsExactly("plex");
    }

    @Test
    void user_unknown_isInvalid() {
        assertThatThrownBy(() -> new TlsFiles(temp).user("no-such-user-here"))
                .isInstanceOfSatisfying(TlsRefusal.class, refusal -> assertThat(refusal.exitCode()).isEqualTo(2))
                .hasMessage("--owner 'no-such-user-here': no such user");
    }

    private LocalCa writeAll(TlsFiles files, String name) throws Exception {
        LocalCa ca = LocalCa.create("plexgate local CA test", now, random);
        files.writeAll(ca, ca.issue(SubjectNames.parse(List.of(name), List.of()), now, random), null);
        return ca;
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
