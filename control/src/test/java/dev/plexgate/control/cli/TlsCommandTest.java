package dev.plexgate.control.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plexgate.control.tls.PemReading;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code plexgate tls init} and {@code renew} into a temporary directory, their files checked with
 * the JDK alone: certificates by its PKIX validator, keys as PKCS#8.
 */
final class TlsCommandTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void init_writesACaAndAServerChainThatValidates_keysOwnerOnly_andPrintsTheSettings() throws Exception {
        Path dir = temp.resolve("tls");

        assertThat(tls("init", "--dir", dir.toString(), "--name", "plexbox.lan", "--ip", "192.168.1.10")).isZero();

        assertThat(err.toString()).isEmpty();
        X509Certificate ca = PemReading.certificate(dir.resolve("ca.pem"));
        List<X509Certificate> chain = PemReading.certificates(dir.resolve("server.pem"));
        X509Certificate server = chain.get(0);
        assertThat(PemReading.validate(chain, ca).getTrustAnchor().getTrustedCert()).isEqualTo(ca);
        assertThat(server.getSubjectAlternativeNames()).containsExactly(List.of(2, "plexbox.lan"), List.of(7, "192.168.1.10"));
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(lifetime(ca)).isBetween(Duration.ofDays(3652), Duration.ofDays(3653).plusMinutes(6));
        assertThat(lifetime(server)).isBetween(Duration.ofDays(365), Duration.ofDays(366).plusMinutes(6));
        assertThat(PemReading.belongTogether(PemReading.privateKey(dir.resolve("ca.key")), ca)).isTrue();
        assertThat(PemReading.belongTogether(PemReading.privateKey(dir.resolve("server.key")), server)).isTrue();
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("ca.key"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("server.key"))).isEqualTo("rw-------");

        assertThat(out.toString())
                .startsWith("wrote a new local CA and a server certificate it signed, in " + dir + ":" + NL)
                .contains("  names       DNS:plexbox.lan, IP:192.168.1.10" + NL)
                .contains("  server.pem  the server certificate, then the CA's, valid until "
                        + server.getNotAfter().toInstant() + NL)
                .contains("listen_tls:" + NL
                        + "  address: 192.168.1.10:32443" + NL
                        + "  cert: " + dir.resolve("server.pem") + NL
                        + "  key: " + dir.resolve("server.key") + NL)
                .contains("ingress:" + NL
                        + "  - hostname: plex.example.com   # your public hostname" + NL
                        + "    service: https://plexbox.lan:32443" + NL
                        + "    originRequest:" + NL
                        + "      caPool: " + dir.resolve("ca.pem") + NL
                        + "      originServerName: plexbox.lan" + NL)
                .contains("  Service: type HTTPS, URL plexbox.lan:32443" + NL
                        + "  Additional application settings > TLS:" + NL
                        + "    Origin Server Name: plexbox.lan" + NL
                        + "    Certificate Authority Pool: " + dir.resolve("ca.pem") + NL)
                .endsWith("if that machine cannot resolve plexbox.lan, use the service URL https://192.168.1.10:32443:"
                        + " originServerName still checks the name" + NL);
    }

    @Test
    void init_printsNoKeyMaterial() throws Exception {
        assertThat(tls("init", "--dir", temp.toString(), "--name", "plexbox.lan")).isZero();

        for (String key : List.of("ca.key", "server.key")) {
            String base64 = Files.readString(temp.resolve(key)).lines().filter(line -> !line.startsWith("-----"))
                    .findFirst().orElseThrow();
            assertThat(out.toString()).doesNotContain(base64.substring(0, 20));
        }
        assertThat(out.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void init_addressOnlyAndAnotherPort_thatAddressIsTheServerName() throws Exception {
        assertThat(tls("init", "--dir", temp.toString(), "--ip", "2001:db8::10", "--port", "8443")).isZero();

        assertThat(out.toString())
                .contains("  address: \"[2001:db8::10]:8443\"" + NL)
                .contains("    service: https://[2001:db8::10]:8443" + NL)
                .contains("      originServerName: 2001:db8::10" + NL);
    }

    @Test
    void init_filesExist_refusesNamingThem_andChangesNothing() throws Exception {
        assertThat(tls("init", "--dir", temp.toString(), "--name", "plexbox.lan")).isZero();
        Map<Path, byte[]> before = contents(temp);
        out.getBuffer().setLength(0);

        assertThat(tls("init", "--dir", temp.toString(), "--name", "other.lan")).isEqualTo(1);

        assertThat(out.toString()).isEmpty();
        assertThat(err).hasToString("refusing to overwrite " + temp.resolve("ca.pem") + ", " + temp.resolve("ca.key")
                + ", " + temp.resolve("server.pem") + ", " + temp.resolve("server.key") + ": run `plexgate tls renew`"
                + " for a new server certificate from the same CA, or give --force to replace them all with a new CA"
                + " (then give cloudflared the new ca.pem)" + NL);
        assertThat(contents(temp)).containsOnlyKeys(before.keySet())
                .allSatisfy((file, bytes) -> assertThat(bytes).isEqualTo(before.get(file)));
    }

    @Test
    void init_oneFileExists_writesNoneOfTheOthers() throws Exception {
        Files.writeString(temp.resolve("server.key"), "mine");

        assertThat(tls("init", "--dir", temp.toString(), "--name", "plexbox.lan")).isEqualTo(1);

        assertThat(err.toString()).startsWith("refusing to overwrite " + temp.resolve("server.key") + ": ");
        assertThat(temp.resolve("server.key")).hasContent("mine");
        assertThat(contents(temp)).containsOnlyKeys(temp.resolve("server.key"));
    }

    @Test
    void init_force_replacesEveryFileWithANewCa() throws Exception {
        assertThat(tls("init", "--dir", temp.toString(), "--name", "plexbox.lan")).isZero();
        X509Certificate oldCa = PemReading.certificate(temp.resolve("ca.pem"));

        assertThat(tls("init", "--dir", temp.toString(), "--name", "other.lan", "--force")).isZero();

        X509Certificate newCa = PemReading.certificate(temp.resolve("ca.pem"));
        List<X509Certificate> chain = PemReading.certificates(temp.resolve("server.pem"));
        assertThat(newCa).isNotEqualTo(oldCa);
        PemReading.validate(chain, newCa);
        assertThat(chain.get(0).getSubjectAlternativeNames()).containsExactly(List.of(2, "other.lan"));
        assertThat(PemReading.belongTogether(PemReading.privateKey(temp.resolve("ca.key")), newCa)).isTrue();
    }

    @Test
    void init_badAddress_exitsTwoNamingIt_writesNothing() throws IOException {
        Path dir = temp.resolve("tls");

        assertThat(tls("init", "--dir", dir.toString(), "--name", "plexbox.lan", "--ip", "192.168.1.300")).isEqualTo(2);

        assertThat(err).hasToString("--ip '192.168.1.300': not an IP address (expected: an IPv4 or IPv6 address such as"
                + " 192.168.1.10 or 2001:db8::10)" + NL);
        assertThat(dir).doesNotExist();
    }

    @Test
    void init_badName_exitsTwoNamingIt_writesNothing() throws IOException {
        Path dir = temp.resolve("tls");

        assertThat(tls("init", "--dir", dir.toString(), "--name", "plex_box.lan")).isEqualTo(2);

        assertThat(err).hasToString("--name 'plex_box.lan': not a host name (expected: labels of letters, digits and"
                + " inner '-', up to 63 characters each, separated by dots, such as plexbox.lan)" + NL);
        assertThat(dir).doesNotExist();
    }

    @Test
    void init_withoutNames_exitsTwo() {
        assertThat(tls("init", "--dir", temp.resolve("tls").toString())).isEqualTo(2);

        assertThat(err).hasToString("no name to put in the certificate: give the names cloudflared connects to,"
                + " --name HOST and/or --ip ADDRESS" + NL);
    }

    @Test
    void init_unknownOwner_exitsTwo_writesNothing() throws IOException {
        Path dir = temp.resolve("tls");

        assertThat(tls("init", "--dir", dir.toString(), "--name", "plexbox.lan", "--owner", "no-such-user-here"))
                .isEqualTo(2);

        assertThat(err).hasToString("--owner 'no-such-user-here': no such user" + NL);
        assertThat(dir).doesNotExist();
    }

    @Test
    void init_portOutOfRange_isACommandLineMistake() throws IOException {
        assertThat(tls("init", "--dir", temp.toString(), "--name", "plexbox.lan", "--port", "70000")).isEqualTo(2);

        assertThat(err.toString()).startsWith("--port 70000: not a port (expected: 1 to 65535)" + NL)
                .contains("Usage: plexgate tls init");
        assertThat(contents(temp)).isEmpty();
    }

    @Test
    void init_owner_givesTheServerFilesAndTheDirectoryToThatUser_theCaKeyStays_root() throws Exception {
        assumeTrue(Files.getOwner(temp).getName().equals("root"), "only root may give files to another user");
        UserPrincipal nobody = temp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Path dir = temp.resolve("tls");

        assertThat(tls("init", "--dir", dir.toString(), "--name", "plexbox.lan", "--owner", "nobody")).isZero();

        assertThat(List.of(dir, dir.resolve("server.pem"), dir.resolve("server.key")))
                .allSatisfy(file -> assertThat(Files.getOwner(file)).isEqualTo(nobody));
        assertThat(Files.getOwner(dir.resolve("ca.key")).getName()).isEqualTo("root");
        assertThat(out.toString()).doesNotContain("server.key belongs to root");

        assertThat(tls("renew", "--dir", dir.toString())).isZero();

        assertThat(Files.getOwner(dir.resolve("server.key"))).isEqualTo(nobody);
    }

    @Test
    void init_asRootWithoutOwner_saysHowToGiveTheServiceItsFiles_root() throws Exception {
        assumeTrue(Files.getOwner(temp).getName().equals("root"), "the hint is for root's files");

        assertThat(tls("init", "--dir", temp.toString(), "--name", "plexbox.lan")).isZero();

        assertThat(out.toString()).contains("server.key belongs to root, but the service installed from the .deb runs"
                + " as the user plexgate: give it the server's files (what --owner plexgate does):" + NL
                + "  chown plexgate " + temp + " " + temp.resolve("server.pem") + " " + temp.resolve("server.key") + NL);
    }

    @Test
    void renew_keepsTheCa_newKeyAndSerialForTheSameNames_validatesAgainstTheSameCa() throws Exception {
        assertThat(tls("init", "--dir", temp.toString(), "--name", "plexbox.lan", "--ip", "192.168.1.10",
                "--ip", "2001:db8::10")).isZero();
        byte[] caPem = Files.readAllBytes(temp.resolve("ca.pem"));
        byte[] caKey = Files.readAllBytes(temp.resolve("ca.key"));
        X509Certificate old = PemReading.certificate(temp.resolve("server.pem"));
        out.getBuffer().setLength(0);

        assertThat(tls("renew", "--dir", temp.toString())).isZero();

        assertThat(err.toString()).isEmpty();
        assertThat(temp.resolve("ca.pem")).hasBinaryContent(caPem);
        assertThat(temp.resolve("ca.key")).hasBinaryContent(caKey);
        List<X509Certificate> chain = PemReading.certificates(temp.resolve("server.pem"));
        X509Certificate renewed = chain.get(0);
        PemReading.validate(chain, PemReading.certificate(temp.resolve("ca.pem")));
        assertThat(renewed.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
        assertThat(renewed.getPublicKey()).isNotEqualTo(old.getPublicKey());
        assertThat(renewed.getSubjectAlternativeNames()).containsExactlyElementsOf(old.getSubjectAlternativeNames());
        assertThat(renewed.getSubjectX500Principal()).isEqualTo(old.getSubjectX500Principal());
        assertThat(PemReading.belongTogether(PemReading.privateKey(temp.resolve("server.key")), renewed)).isTrue();
        assertThat(mode(temp.resolve("server.key"))).isEqualTo("rw-------");
        assertThat(out.toString())
                .startsWith("renewed the server certificate from the local CA in " + temp + ":" + NL)
                .contains("a running plexgate loads the new certificate by itself")
                .contains("      caPool: " + temp.resolve("ca.pem") + NL);
    }

    @Test
    void renew_withNames_certifiesThoseInstead() throws Exception {
        assertThat(tls("init", "--dir", temp.toString(), "--name", "plexbox.lan")).isZero();

        assertThat(tls("renew", "--dir", temp.toString(), "--name", "plex.home.arpa", "--ip", "10.0.0.5")).isZero();

        assertThat(PemReading.certificate(temp.resolve("server.pem")).getSubjectAlternativeNames())
                .containsExactly(List.of(2, "plex.home.arpa"), List.of(7, "10.0.0.5"));
    }

    @Test
    void renew_withoutCa_exitsOneSayingToRunInit_writesNothing() throws IOException {
        assertThat(tls("renew", "--dir", temp.toString(), "--name", "plexbox.lan")).isEqualTo(1);

        assertThat(err).hasToString("no local CA in " + temp + ": " + temp.resolve("ca.pem") + ", "
                + temp.resolve("ca.key") + " are missing; run `plexgate tls init` first" + NL);
        assertThat(contents(temp)).isEmpty();
    }

    @Test
    void renew_withoutServerCertificateOrNames_exitsOne() throws Exception {
        assertThat(tls("init", "--dir", temp.toString(), "--name", "plexbox.lan")).isZero();
        Files.delete(temp.resolve("server.pem"));

        assertThat(tls("renew", "--dir", temp.toString())).isEqualTo(1);

        assertThat(err).hasToString(temp.resolve("server.pem") + " does not exist: give the names of the new"
                + " certificate with --name and --ip" + NL);
    }

    @Test
    void bare_listsInitAndRenew_exitsTwo() {
        assertThat(tls()).isEqualTo(2);

        assertThat(err.toString()).startsWith("Missing command (expected: init or renew)")
                .containsPattern("init +Create a local CA and a server certificate it signs\\.")
                .containsPattern("renew +Replace the server certificate with a new one from the same CA\\.");
    }

    private int tls(String... args) {
        List<String> line = new ArrayList<>(List.of("tls"));
        line.addAll(List.of(args));
        CommandLine commandLine = PlexgateCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(line.toArray(String[]::new));
    }

    /** From notBefore, which is a few minutes back, to notAfter. */
    private static Duration lifetime(X509Certificate certificate) {
        return Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    /** Every file of {@code dir}, temporary ones included, with its bytes. */
    private static Map<Path, byte[]> contents(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            Map<Path, byte[]> contents = new HashMap<>();
            for (Path file : files.toList()) {
                contents.put(file, Files.readAllBytes(file));
            }
            return contents;
        }
    }
}
