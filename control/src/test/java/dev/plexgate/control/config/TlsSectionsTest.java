package dev.plexgate.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.proxy.testing.TestPki;
import dev.plexgate.proxy.testing.TestPki.Issued;
import dev.plexgate.proxy.testing.TestPki.KeyFormat;
import dev.plexgate.proxy.tls.TlsListener;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** listen_tls and upstream_tls as plexgate.yml writes them, with real certificate files. */
final class TlsSectionsTest {

    private final TestPki pki = TestPki.create("plexgate test CA");
    private Issued server;

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void writeFiles() {
        file = dir.resolve("plexgate.yml");
        server = pki.server("plexbox.lan", "192.168.1.10");
        TestPki.writeCertificates(dir.resolve("server.pem"), server.certificate(), pki.caCertificate());
        TestPki.writeKey(dir.resolve("server.key"), server.key(), KeyFormat.TRADITIONAL, null);
        TestPki.writeCertificates(dir.resolve("ca.pem"), pki.caCertificate());
    }

    @Test
    void absent_meansNoTlsListenerAndPlainHttpUpstream() throws ConfigException {
        PlexgateConfig config = ConfigLoader.parse(file, "");

        assertThat(config.proxy().listenTls()).isNull();
        assertThat(config.proxy().upstream().secure()).isFalse();
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void listenTls_relativeFilesNextToTheConfig_loadedAndChecked() throws ConfigException {
        PlexgateConfig config = ConfigLoader.parse(file, """
                listen_tls:
                  address: 127.0.0.1:32443
                  cert: server.pem
                  key: server.key
                  client_ca: ca.pem
                """);

        TlsListener tls = config.proxy().listenTls();
        assertThat(tls.address()).isEqualTo(new InetSocketAddress("127.0.0.1", 32443));
        assertThat(tls.identity().certificate()).isEqualTo(server.certificate());
        assertThat(tls.identity().requiresClientCertificate()).isTrue();
        assertThat(tls.identity().files().all())
                .containsExactly(dir.resolve("server.pem"), dir.resolve("server.key"), dir.resolve("ca.pem"));
    }

    @Test
    void listenTls_missingKeys_areNamed() {
        assertThatThrownBy(() -> ConfigLoader.parse(file, "listen_tls:\n  address: 127.0.0.1:32443\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":2:3: listen_tls: no cert (expected: cert: the PEM certificate chain, such as"
                        + " tls/server.pem)\n"
                        + file + ":2:3: listen_tls: no key (expected: key: its PEM private key, such as"
                        + " tls/server.key)");
    }

    @Test
    void listenTls_keyOfAnotherCertificate_reportedAtTheKeyLine() {
        TestPki.writeKey(dir.resolve("other.key"), pki.server("other.lan").key(), KeyFormat.PKCS8, null);

        assertThatThrownBy(() -> ConfigLoader.parse(file, """
                listen_tls:
                  address: 127.0.0.1:32443
                  cert: server.pem
                  key: other.key
                """))
                .hasMessage(file + ":4:8: listen_tls.key: " + dir.resolve("other.key")
                        + ": the key does not match the certificate in " + dir.resolve("server.pem")
                        + " (CN=plexbox.lan)");
    }

    @Test
    void listenTls_expiredCertificate_reportedAtTheCertLine() {
        Instant now = Instant.now();
        Issued expired = pki.server(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)), "plexbox.lan");
        TestPki.writeCertificates(dir.resolve("old.pem"), expired.certificate());
        TestPki.writeKey(dir.resolve("old.key"), expired.key(), KeyFormat.PKCS8, null);

        assertThatThrownBy(() -> ConfigLoader.parse(file, """
                listen_tls:
                  address: 127.0.0.1:32443
                  cert: old.pem
                  key: old.key
                """))
                .hasMessageStartingWith(file + ":3:9: listen_tls.cert: " + dir.resolve("old.pem")
                        + ": the certificate (CN=plexbox.lan) expired on ");
    }

    @Test
    void listenTls_certificateEndingWithinTwoWeeks_isAWarning() throws ConfigException {
        Instant now = Instant.now();
        Issued ending = pki.server(now.minus(Duration.ofDays(350)), now.plus(Duration.ofDays(5)).plusSeconds(3600),
                "plexbox.lan");
        TestPki.writeCertificates(dir.resolve("ending.pem"), ending.certificate());
        TestPki.writeKey(dir.resolve("ending.key"), ending.key(), KeyFormat.PKCS8, null);

        PlexgateConfig config = ConfigLoader.parse(file, """
                listen_tls:
                  address: 127.0.0.1:32443
                  cert: ending.pem
                  key: ending.key
                """);

        assertThat(config.proxy().listenTls()).isNotNull();
        assertThat(config.warnings()).singleElement().hasToString(file + ":3:9: listen_tls.cert: "
                + dir.resolve("ending.pem") + ": the certificate expires on "
                + ending.certificate().getNotAfter().toInstant() + ", in 5 days (renew it: `plexgate tls renew` for"
                + " one it made, or replace the files; plexgate reloads them by itself)");
    }

    @Test
    void upstreamHttps_verifiedByTheJdkTrustStoreAndItsHostByDefault() throws ConfigException {
        UpstreamAddress upstream = ConfigLoader.parse(file, "upstream: https://127.0.0.1:32400\n").proxy().upstream();

        assertThat(upstream.secure()).isTrue();
        assertThat(upstream.tls().trustedCertificates()).isEmpty();
        assertThat(upstream.tls().serverNameFor(upstream.host())).isEqualTo("127.0.0.1");
        assertThat(upstream).hasToString("https://127.0.0.1:32400");
    }

    @Test
    void upstreamTls_caAndServerName() throws ConfigException {
        UpstreamAddress upstream = ConfigLoader.parse(file, """
                upstream: https://127.0.0.1:32400
                upstream_tls:
                  ca: ca.pem
                  server_name: 127-0-0-1.0123456789abcdef.plex.direct
                """).proxy().upstream();

        assertThat(upstream.tls().trustedCertificates()).containsExactly(pki.caCertificate());
        assertThat(upstream.tls().serverNameFor("127.0.0.1")).isEqualTo("127-0-0-1.0123456789abcdef.plex.direct");
    }

    @Test
    void upstreamTls_insecureSkipVerify_isAWarning() throws ConfigException {
        PlexgateConfig config = ConfigLoader.parse(file, """
                upstream: https://127.0.0.1:32400
                upstream_tls:
                  insecure_skip_verify: true
                """);

        assertThat(config.proxy().upstream().tls().insecureSkipVerify()).isTrue();
        assertThat(config.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.line()).isEqualTo(3);
            assertThat(warning.message()).startsWith("upstream_tls.insecure_skip_verify: true: Plex's certificate is"
                    + " not verified");
        });
    }

    @Test
    void upstreamTls_withAnHttpUpstream_isAnError() {
        assertThatThrownBy(() -> ConfigLoader.parse(file, "upstream_tls:\n  server_name: plex.lan\n"))
                .hasMessage(file + ":2:16: upstream_tls.server_name: is set but upstream is http://127.0.0.1:32400"
                        + " (expected: an https:// upstream, or no upstream_tls section)");
    }

    @Test
    void upstreamTls_insecureTogetherWithVerification_isAnError() {
        assertThatThrownBy(() -> ConfigLoader.parse(file, """
                upstream: https://127.0.0.1:32400
                upstream_tls:
                  ca: ca.pem
                  insecure_skip_verify: true
                """))
                .hasMessage(file + ":4:25: upstream_tls.insecure_skip_verify: true together with ca, which it would"
                        + " ignore (expected: verification, or insecure_skip_verify alone)");
    }

    @Test
    void upstreamTls_badCaFileAndServerName_reportedAtTheirLines() throws Exception {
        Files.writeString(dir.resolve("notpem.pem"), "hello\n");

        assertThatThrownBy(() -> ConfigLoader.parse(file, """
                upstream: https://127.0.0.1:32400
                upstream_tls:
                  ca: notpem.pem
                  server_name: "plex lan"
                """))
                .hasMessage(file + ":3:7: upstream_tls.ca: " + dir.resolve("notpem.pem") + ": no certificate found"
                        + " (expected: PEM text with '-----BEGIN CERTIFICATE-----' blocks)\n"
                        + file + ":4:16: upstream_tls.server_name: 'plex lan' is not a host name (expected: the name in"
                        + " Plex's certificate, such as 192-168-1-10.0123456789abcdef0123456789abcdef.plex.direct)");
    }
}
