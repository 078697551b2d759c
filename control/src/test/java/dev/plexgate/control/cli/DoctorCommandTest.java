package dev.plexgate.control.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.plexgate.agent.testing.FakeBinary;
import dev.plexgate.control.doctor.DoctorEnvironment;
import dev.plexgate.proxy.testing.TestOrigin;
import dev.plexgate.proxy.testing.TestPki;
import dev.plexgate.proxy.testing.TestPki.Issued;
import dev.plexgate.proxy.testing.TestPki.KeyFormat;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code plexgate doctor} against a fake Plex (identity and preferences) and a fake cloudflared
 * (its binary a shell script, its metrics listener an HTTP server), all on loopback, no DNS.
 */
final class DoctorCommandTest {

    private static final String NL = System.lineSeparator();
    private static final String PLEX_TOKEN = "fake-plex-token-Zq9x";
    private static final UUID TUNNEL = UUID.fromString("0b5e1a7c-3d2f-4e8a-9c6b-1f2e3d4c5b6a");
    private static final String GOOD_PREFS = prefs(1, "false", "https://plex.example.com:443", "", "");
    private static final String GOOD_INGRESS = ingress(3, "http://127.0.0.1:32401");
    private static final String PLEX_NAME = "127-0-0-1.0123456789abcdef.plex.direct";

    @TempDir
    Path dir;

    private HttpServer plex;
    private int plexPort;
    private HttpServer metrics;
    private Path config;
    private Path cloudflared;
    private Path procNetTcp;
    private Path preferencesXml;
    private String prefsJson = GOOD_PREFS;
    private int readyStatus = 200;
    private String configJson = GOOD_INGRESS;
    private final StringWriter out = new StringWriter();

    @BeforeEach
    void setUp() throws IOException {
        plex = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        plex.createContext("/identity", exchange -> answer(exchange, 200, TestOrigin.IDENTITY_XML));
        plex.createContext("/:/prefs", exchange -> answer(exchange,
                PLEX_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Plex-Token")) ? 200 : 401, prefsJson));
        plex.start();
        plexPort = plex.getAddress().getPort();
        metrics = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        metrics.createContext("/ready", exchange -> answer(exchange, readyStatus,
                "{\"status\":" + readyStatus + ",\"readyConnections\":" + (readyStatus == 200 ? 4 : 0)
                        + ",\"connectorId\":\"" + UUID.randomUUID() + "\"}"));
        metrics.createContext("/config", exchange -> answer(exchange, 200, configJson));
        metrics.start();

        cloudflared = dir.resolve("cloudflared");
        Files.writeString(cloudflared, "#!/bin/sh\necho 'cloudflared version 2023.7.3 (built 2023-07-25)'\n");
        Files.setPosixFilePermissions(cloudflared, PosixFilePermissions.fromString("rwx------"));
        Path token = Files.writeString(dir.resolve("tunnel.token"), FakeBinary.token(TUNNEL) + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("allow.list"), "203.0.113.7 bob\n");
        preferencesXml = Files.writeString(dir.resolve("Preferences.xml"), "<?xml version=\"1.0\"?>\n<Preferences"
                + " MachineIdentifier=\"test-machine-id\" PlexOnlineToken=\"" + PLEX_TOKEN + "\" AcceptedEULA=\"1\"/>\n");
        procNetTcp = Files.writeString(dir.resolve("tcp"), procTable("0100007F"));
        config = writeConfig("listen: 127.0.0.1:32401\nupstream: http://127.0.0.1:" + plexPort() + "\n");
    }

    /** plexgate.yml: {@code head} (listeners, upstream, trusted proxies), then the list, rule and tunnel. */
    private Path writeConfig(String head) throws IOException {
        return Files.writeString(dir.resolve("plexgate.yml"), head + """
                lists:
                  friends: allow.list
                rules:
                  - name: Restrict IPs
                    expression: not ip.src in $friends
                    action: block
                tunnel:
                  enabled: true
                  cloudflared: %s
                  token_file: tunnel.token
                  metrics: 127.0.0.1:%d
                """.formatted(cloudflared, metrics.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        plex.stop(0);
        metrics.stop(0);
    }

    @Test
    void everythingRight_oneOkLinePerCheck_exitsZero() {
        assertThat(doctor()).isZero();

        assertThat(out).hasToString(String.join(NL,
                "ok   config " + config + " is valid",
                "ok   list friends: 1 entry",
                "ok   listen 127.0.0.1:32401 is loopback: only this machine can connect",
                "ok   Plex 1.40.0.0000-test answers on http://127.0.0.1:" + plexPort() + " (machine test-machine-id)",
                "ok   Plex secure connections: Preferred",
                "ok   Plex relay: disabled",
                "ok   Plex custom server access URL: https://plex.example.com:443",
                "ok   Plex networks allowed without auth: none covers loopback",
                "ok   Plex LAN networks: none covers loopback",
                "ok   cloudflared version 2023.7.3 (built 2023-07-25) at " + cloudflared,
                "ok   tunnel " + TUNNEL + ": token file " + dir.resolve("tunnel.token") + " (mode 0600)",
                "ok   cloudflared is connected to Cloudflare (4 connections)",
                "ok   the tunnel sends plex.example.com to plexgate (http://127.0.0.1:32401)",
                "ok   Plex's port " + plexPort() + " listens on loopback only") + NL);
    }

    @Test
    void plexToken_neverPrinted_evenWhenPlexRefusesIt() throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("plex.token"), "another-secret-Kp3w\n");

        assertThat(doctor("--plex-token-file", tokenFile.toString())).isEqualTo(2);

        assertThat(out.toString()).contains("fail Plex refused the token from " + tokenFile + " (HTTP 401)" + NL
                + "  fix: give --plex-token-file with the server owner's X-Plex-Token" + NL)
                .doesNotContain("another-secret-Kp3w");
        out.getBuffer().setLength(0);
        assertThat(doctor()).isZero();
        assertThat(out.toString()).doesNotContain(PLEX_TOKEN);
    }

    @Test
    void invalidConfig_failsWithItsErrors_andStops() throws IOException {
        Files.writeString(config, "listen: nowhere\n");

        assertThat(doctor()).isEqualTo(2);

        assertThat(out.toString()).startsWith("fail " + config + ":1:9: listen: ")
                .contains(NL + "  fix: correct it in " + config + " at line 1; plexgate check shows the same" + NL)
                .doesNotContain("ok ");
    }

    @Test
    void tokenFileReadableByOthers_fails_withChmod() throws IOException {
        Files.setPosixFilePermissions(dir.resolve("tunnel.token"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(doctor()).isEqualTo(2);

        assertThat(out.toString()).contains("tunnel.token_file: ", "is readable by group or others (rw-r--r--)")
                .contains(NL + "  fix: chmod 600 " + dir.resolve("tunnel.token")
                        + " (only the user plexgate runs as may read the token)" + NL)
                .doesNotContain(FakeBinary.token(TUNNEL));
    }

    @Test
    void tokenFileWritableByOthers_warns() throws IOException {
        Files.setPosixFilePermissions(dir.resolve("tunnel.token"), PosixFilePermissions.fromString("rw-----w-"));

        assertThat(doctor()).isEqualTo(1);

        assertThat(out.toString()).contains(NL + "warn tunnel " + TUNNEL + ": token file " + dir.resolve("tunnel.token")
                + " has mode rw-----w-, not rw-------" + NL + "  fix: chmod 600 " + dir.resolve("tunnel.token")
                + " (only the user plexgate runs as may touch the token)" + NL);
    }

    @Test
    void emptyAllowList_warns() throws IOException {
        Files.writeString(dir.resolve("allow.list"), "# nobody yet\n");

        assertThat(doctor()).isEqualTo(1);

        assertThat(out.toString()).contains(NL + "warn list friends (" + dir.resolve("allow.list") + ") has no entries:"
                + " rules that allow only $friends block every request" + NL
                + "  fix: plexgate allow add ADDRESS|CIDR|HOST NAME" + NL);
    }

    @Test
    void hostNameThatDoesNotResolve_warns() throws IOException {
        Files.writeString(dir.resolve("allow.list"), "203.0.113.7 bob\nalice.example.test alice\n");

        assertThat(doctor()).isEqualTo(1);

        assertThat(out.toString()).contains(NL + "warn list friends: alice.example.test (line 2) does not resolve: ")
                .contains("  fix: check the name and its dynamic DNS client; until it resolves it matches nobody" + NL);
    }

    @Test
    void plexDown_fails() {
        plex.stop(0);

        assertThat(doctor()).isEqualTo(2);

        assertThat(out.toString()).contains(NL + "fail Plex does not answer http://127.0.0.1:" + plexPort()
                + "/identity: connection refused" + NL + "  fix: start Plex (systemctl start plexmediaserver), or set"
                + " upstream: in plexgate.yml to where Plex listens" + NL)
                .doesNotContain("Plex secure connections");
    }

    @Test
    void secureConnectionsRequired_warnsWithFix() {
        prefsJson = prefs(0, "false", "https://plex.example.com:443", "", "");

        assertThat(doctor()).isEqualTo(1);

        assertThat(out.toString()).contains(NL + "warn Plex secure connections: Required (the reference setup needs"
                + " Preferred)" + NL + "  fix: Plex Web > Settings > Network (show advanced) > Secure connections:"
                + " Preferred" + NL);
    }

    @Test
    void relayOn_warns_whetherTrueOrOne() {
        for (String relay : List.of("true", "1")) {
            prefsJson = prefs(1, relay, "https://plex.example.com:443", "", "");
            out.getBuffer().setLength(0);

            assertThat(doctor()).isEqualTo(1);

            assertThat(out.toString()).contains(NL + "warn Plex relay: enabled, so clients can reach Plex around"
                    + " plexgate and its allow-list" + NL + "  fix: Plex Web > Settings > Network (show advanced) >"
                    + " Enable Relay: off" + NL);
        }
    }

    @Test
    void customUrlMissing_orWithoutPort_warns() {
        prefsJson = prefs(1, "false", "http://192.168.1.2:32400", "", "");
        assertThat(doctor()).isEqualTo(1);
        assertThat(out.toString()).contains(NL + "warn Plex custom server access URLs have no https:// URL");

        prefsJson = prefs(1, "false", "https://plex.example.com", "", "");
        out.getBuffer().setLength(0);
        assertThat(doctor()).isEqualTo(1);
        assertThat(out.toString()).contains(NL + "warn Plex custom server access URL https://plex.example.com has no"
                + " port, so Plex assumes 32400" + NL + "  fix: Plex Web > Settings > Network (show advanced) > Custom"
                + " server access URLs: write it https://plex.example.com:443" + NL);
    }

    @Test
    void loopbackAllowedWithoutAuth_fails() {
        prefsJson = prefs(1, "false", "https://plex.example.com:443", "192.168.1.0/24,127.0.0.1/32", "");

        assertThat(doctor()).isEqualTo(2);

        assertThat(out.toString()).contains(NL + "fail Plex allows 127.0.0.1/32 without auth: behind plexgate every"
                + " request comes from loopback, so the whole internet gets in without a password" + NL
                + "  fix: Plex Web > Settings > Network (show advanced) > List of IP addresses and networks that are"
                + " allowed without auth: remove 127.0.0.1/32" + NL);
    }

    @Test
    void loopbackInLanNetworks_warns() {
        prefsJson = prefs(1, "false", "https://plex.example.com:443", "", "192.168.1.0/255.255.255.0,0.0.0.0/0");

        assertThat(doctor()).isEqualTo(1);

        assertThat(out.toString()).contains(NL + "warn Plex LAN networks include 0.0.0.0/0: every tunnel client gets"
                + " LAN bandwidth" + NL);
    }

    @Test
    void noPlexToken_warns_andSkipsPlexSettings() throws IOException {
        Files.delete(preferencesXml);

        assertThat(doctor()).isEqualTo(1);

        assertThat(out.toString()).contains(NL + "warn Plex's settings not checked: no Plex token (no readable"
                + " Preferences.xml in " + dir.resolve("absent.xml") + ", " + preferencesXml + ")" + NL).doesNotContain("Plex relay");
    }

    @Test
    void cloudflaredNotReady_fails() {
        readyStatus = 503;

        assertThat(doctor()).isEqualTo(2);

        assertThat(out.toString()).contains(NL + "fail cloudflared is not connected to Cloudflare (http://127.0.0.1:"
                + metrics.getAddress().getPort() + "/ready: HTTP 503, 0 connections)" + NL + "  fix: look at");
    }

    @Test
    void cloudflaredNotRunning_fails_andIngressNotAsked() {
        int port = metrics.getAddress().getPort();
        metrics.stop(0);

        assertThat(doctor()).isEqualTo(2);

        assertThat(out.toString()).contains(NL + "fail cloudflared does not answer http://127.0.0.1:" + port
                + "/ready: connection refused" + NL + "  fix: start plexgate (systemctl start plexgate)")
                .doesNotContain("the tunnel sends");
    }

    @Test
    void ingressStraightToPlex_fails() {
        configJson = ingress(4, "http://localhost:" + plexPort());

        assertThat(doctor()).isEqualTo(2);

        assertThat(out.toString()).contains(NL + "fail the tunnel sends plex.example.com to http://localhost:"
                + plexPort() + ", straight to Plex: no allow-list, no rules" + NL + "  fix: Cloudflare dashboard >"
                + " Zero Trust > Networks > Tunnels > your tunnel > Public Hostname: set the service to"
                + " http://127.0.0.1:32401" + NL)
                .contains(NL + "fail no hostname of the tunnel goes to plexgate (http://127.0.0.1:32401)" + NL);
    }

    @Test
    void tunnelNotConfiguredFromTheDashboard_warns() {
        configJson = "{\"version\":-1,\"config\":{\"ingress\":[]}}";

        assertThat(doctor()).isEqualTo(1);

        assertThat(out.toString()).contains(NL + "warn the tunnel has no public hostname yet (configuration version -1)"
                + NL);
    }

    @Test
    void plexPortOpenOnEveryInterface_warns_andFailsWithStrict() throws IOException {
        Files.writeString(procNetTcp, procTable("00000000"));
        String line = "Plex's port " + plexPort() + " listens on every interface (0.0.0.0): other machines can reach"
                + " Plex around plexgate" + NL + "  fix: block port " + plexPort() + " from other hosts in the firewall"
                + " (ufw deny " + plexPort() + "/tcp, or an nftables rule)" + NL;

        assertThat(doctor()).isEqualTo(1);
        assertThat(out.toString()).endsWith(NL + "warn " + line);

        out.getBuffer().setLength(0);
        assertThat(doctor("--strict")).isEqualTo(2);
        assertThat(out.toString()).endsWith(NL + "fail " + line);
    }

    @Test
    void plexPortOpenOnEveryIpv6Interface_warns() throws IOException {
        Path tcp6 = Files.writeString(dir.resolve("tcp6"), procTable("00000000000000000000000000000000"));

        assertThat(doctor(List.of(procNetTcp, tcp6))).isEqualTo(1);

        assertThat(out.toString()).contains(NL + "warn Plex's port " + plexPort() + " listens on every interface (::):");
    }

    @Test
    void ingressToAnotherService_warns() {
        configJson = ingress(5, "http://127.0.0.1:8080");

        assertThat(doctor()).isEqualTo(2);

        assertThat(out.toString()).contains(NL + "warn the tunnel sends plex.example.com to http://127.0.0.1:8080, not"
                + " through plexgate" + NL);
    }

    @Test
    void plainListenerOnTheNetwork_warns_withTheFirewallRules() throws IOException {
        writeConfig("listen: 0.0.0.0:32401\nupstream: http://127.0.0.1:" + plexPort() + "\n");

        assertThat(doctor()).isEqualTo(1);

        assertThat(out.toString()).contains(NL + "warn listen 0.0.0.0:32401 is reachable from other machines in plain"
                + " HTTP: any host on the network can connect; the requests of a cloudflared on another machine cross"
                + " the network unencrypted, Plex tokens and all" + NL
                + "  fix: with cloudflared on this machine, listen: 127.0.0.1:32401; on another, let only the"
                + " cloudflared host reach the port: ufw allow from CLOUDFLARED_HOST to any port 32401 proto tcp &&"
                + " ufw deny 32401/tcp (nftables: nft add rule inet filter input tcp dport 32401 ip saddr !="
                + " CLOUDFLARED_HOST drop), and move it to listen_tls (plexgate tls init) to encrypt the traffic;"
                + " client_ca helps only behind a reverse proxy that presents a client certificate (nginx:"
                + " proxy_ssl_certificate); cloudflared cannot present one" + NL);
    }

    @Test
    void plainListenerOnTheNetwork_withATrustedRange_saysItsHostsCanNameAnyVisitor() throws IOException {
        configJson = ingress(3, "http://192.168.1.10:32401");
        writeConfig("listen: 192.168.1.10:32401\nupstream: http://127.0.0.1:" + plexPort() + "\n"
                + "trusted_proxies: [127.0.0.1/32, 192.168.1.0/24]\n");

        assertThat(doctor()).isEqualTo(1);

        assertThat(out.toString()).contains(NL + "warn listen 192.168.1.10:32401 is reachable from other machines in"
                + " plain HTTP: any host on the network can connect, and any with an address in trusted_proxies"
                + " (192.168.1.0/24) can name whatever visitor it likes in CF-Connecting-IP, a friend's address"
                + " included;");
    }

    @Test
    void plainListenerOnTheNetwork_withTheCloudflaredHostTrusted_namesItInTheFirewallRules() throws IOException {
        writeConfig("listen: 0.0.0.0:32401\nupstream: http://127.0.0.1:" + plexPort() + "\n"
                + "trusted_proxies: [127.0.0.1/32, 192.168.1.5/32]\n");

        assertThat(doctor()).isEqualTo(1);

        assertThat(out.toString()).contains("ufw allow from 192.168.1.5 to any port 32401 proto tcp && ufw deny"
                + " 32401/tcp (nftables: nft add rule inet filter input tcp dport 32401 ip saddr != 192.168.1.5 drop)");
    }

    @Test
    void tlsListener_namesItsCertificateAndEnd() throws IOException {
        X509Certificate certificate = writeServerCertificate(Instant.now().plus(Duration.ofDays(365)));
        writeConfig("listen: 127.0.0.1:32401\nupstream: http://127.0.0.1:" + plexPort() + "\n"
                + "listen_tls:\n  address: 127.0.0.1:32443\n  cert: server.pem\n  key: server.key\n");

        assertThat(doctor()).isZero();

        assertThat(out.toString()).contains(NL + "ok   listen 127.0.0.1:32401 is loopback: only this machine can connect"
                + NL + "ok   listen_tls 127.0.0.1:32443: certificate CN=plexbox.lan ends on "
                + certificate.getNotAfter().toInstant() + ", in 364 days" + NL + "ok   Plex 1.40");
    }

    @Test
    void tlsCertificateEndingWithin14Days_warns_withRenew() throws IOException {
        X509Certificate certificate = writeServerCertificate(Instant.now().plus(Duration.ofDays(5).plusHours(1)));
        writeConfig("listen: 127.0.0.1:32401\nupstream: http://127.0.0.1:" + plexPort() + "\n"
                + "listen_tls:\n  address: 127.0.0.1:32443\n  cert: server.pem\n  key: server.key\n");

        assertThat(doctor()).isEqualTo(1);

        assertThat(out.toString()).contains(NL + "warn listen_tls 127.0.0.1:32443: certificate CN=plexbox.lan ends on "
                + certificate.getNotAfter().toInstant() + ", in 5 days: connections to it fail once it has ended" + NL
                + "  fix: plexgate tls renew --dir " + dir + " for a certificate plexgate tls init made, or replace "
                + dir.resolve("server.pem") + " and " + dir.resolve("server.key") + " with a renewed pair; plexgate"
                + " reloads them by itself" + NL);
    }

    @Test
    void tlsListenerOnTheNetwork_withoutClientCa_notesThatAnyHostConnects() throws IOException {
        writeServerCertificate(Instant.now().plus(Duration.ofDays(365)));
        writeConfig("listen: 127.0.0.1:32401\nupstream: http://127.0.0.1:" + plexPort() + "\n"
                + "trusted_proxies: [127.0.0.1/32, 192.168.1.5/32]\n"
                + "listen_tls:\n  address: 0.0.0.0:32443\n  cert: server.pem\n  key: server.key\n");

        assertThat(doctor()).isZero();

        assertThat(out.toString()).contains(NL + "ok   listen_tls 0.0.0.0:32443 asks for no client certificate: any"
                + " host that reaches port 32443 can connect, judged by its own address; only 192.168.1.5/32"
                + " (trusted_proxies) may name a visitor in CF-Connecting-IP" + NL);
    }

    @Test
    void tlsListenerOnTheNetwork_withoutClientCa_andATrustedRange_warns() throws IOException {
        writeServerCertificate(Instant.now().plus(Duration.ofDays(365)));
        writeConfig("listen: 127.0.0.1:32401\nupstream: http://127.0.0.1:" + plexPort() + "\n"
                + "trusted_proxies: [127.0.0.1/32, 192.168.1.0/24]\n"
                + "listen_tls:\n  address: 0.0.0.0:32443\n  cert: server.pem\n  key: server.key\n");

        assertThat(doctor()).isEqualTo(1);

        assertThat(out.toString()).contains(NL + "warn listen_tls 0.0.0.0:32443 asks for no client certificate: any"
                + " host that reaches port 32443 can connect, and any with an address in trusted_proxies'"
                + " 192.168.1.0/24 can name whatever visitor it likes in CF-Connecting-IP, a friend's address included"
                + NL + "  fix: put the cloudflared host alone in trusted_proxies and let only it reach the port: ufw"
                + " allow from CLOUDFLARED_HOST to any port 32443 proto tcp && ufw deny 32443/tcp (nftables: nft add"
                + " rule inet filter input tcp dport 32443 ip saddr != CLOUDFLARED_HOST drop); client_ca helps only"
                + " behind a reverse proxy that presents a client certificate (nginx: proxy_ssl_certificate);"
                + " cloudflared cannot present one" + NL);
    }

    @Test
    void tlsListenerWithClientCa_saysClientCertificatesAreRequired() throws IOException {
        writeServerCertificate(Instant.now().plus(Duration.ofDays(365)));
        TestPki.writeCertificates(dir.resolve("clients.pem"), TestPki.create("proxy clients CA").caCertificate());
        writeConfig("listen: 127.0.0.1:32401\nupstream: http://127.0.0.1:" + plexPort() + "\n"
                + "trusted_proxies: [127.0.0.1/32, 192.168.1.0/24]\n"
                + "listen_tls:\n  address: 0.0.0.0:32443\n  cert: server.pem\n  key: server.key\n"
                + "  client_ca: clients.pem\n");

        assertThat(doctor()).isZero();

        assertThat(out.toString()).contains(", in 364 days; client certificates from client_ca required" + NL)
                .doesNotContain("asks for no client certificate");
    }

    @Test
    void plexOverTls_verifiedWithCaAndServerName() throws IOException {
        TestPki plexCa = TestPki.create("plex CA");
        try (TestOrigin tlsPlex = startTlsPlex(plexCa)) {
            TestPki.writeCertificates(dir.resolve("plex-ca.pem"), plexCa.caCertificate());
            writeConfig("upstream: https://127.0.0.1:" + tlsPlex.port() + "\nupstream_tls:\n  ca: plex-ca.pem\n"
                    + "  server_name: " + PLEX_NAME + "\n");

            doctor();

            assertThat(out.toString()).contains(NL + "ok   Plex 1.40.0.0000-test answers on https://127.0.0.1:"
                    + tlsPlex.port() + " (machine test-machine-id), its certificate verified for " + PLEX_NAME
                    + " against upstream_tls.ca" + NL)
                    .doesNotContain("insecure_skip_verify");
        }
    }

    @Test
    void plexOverTls_anotherServerName_fails_pointingAtUpstreamTls() throws IOException {
        TestPki plexCa = TestPki.create("plex CA");
        try (TestOrigin tlsPlex = startTlsPlex(plexCa)) {
            TestPki.writeCertificates(dir.resolve("plex-ca.pem"), plexCa.caCertificate());
            writeConfig("upstream: https://127.0.0.1:" + tlsPlex.port() + "\nupstream_tls:\n  ca: plex-ca.pem\n"
                    + "  server_name: other.plex.direct\n");

            assertThat(doctor()).isEqualTo(2);

            assertThat(out.toString()).contains(NL + "fail Plex does not answer https://127.0.0.1:" + tlsPlex.port()
                    + "/identity: TLS handshake failed: ")
                    .contains("other.plex.direct")
                    .contains(NL + "  fix: check upstream_tls in plexgate.yml: server_name must be a name Plex's"
                            + " certificate covers (openssl s_client -connect 127.0.0.1:" + tlsPlex.port()
                            + " </dev/null shows it), ca the CA that issued it (without ca, the JDK's trust store"
                            + " must know that CA)" + NL)
                    .doesNotContain("Plex secure connections");
            assertThat(tlsPlex.requestCount()).isZero();
        }
    }

    @Test
    void plexOverTls_untrustedCa_fails() throws IOException {
        try (TestOrigin tlsPlex = startTlsPlex(TestPki.create("plex CA"))) {
            TestPki.writeCertificates(dir.resolve("plex-ca.pem"), TestPki.create("another CA").caCertificate());
            writeConfig("upstream: https://127.0.0.1:" + tlsPlex.port() + "\nupstream_tls:\n  ca: plex-ca.pem\n"
                    + "  server_name: " + PLEX_NAME + "\n");

            assertThat(doctor()).isEqualTo(2);

            assertThat(out.toString()).contains(NL + "fail Plex does not answer https://127.0.0.1:" + tlsPlex.port()
                    + "/identity: TLS handshake failed: ");
            assertThat(tlsPlex.requestCount()).isZero();
        }
    }

    @Test
    void plexOverTls_insecureSkipVerify_answers_butWarns() throws IOException {
        try (TestOrigin tlsPlex = startTlsPlex(TestPki.create("plex CA"))) {
            writeConfig("upstream: https://127.0.0.1:" + tlsPlex.port() + "\nupstream_tls:\n"
                    + "  insecure_skip_verify: true\n");

            doctor();

            assertThat(out.toString()).contains(NL + "warn upstream_tls.insecure_skip_verify: true, so plexgate takes"
                    + " any certificate from https://127.0.0.1:" + tlsPlex.port() + ": whoever gets between plexgate"
                    + " and Plex can read and change the traffic, Plex tokens included" + NL
                    + "  fix: remove insecure_skip_verify and set upstream_tls.server_name to a name Plex's certificate"
                    + " covers (openssl s_client -connect 127.0.0.1:" + tlsPlex.port() + " </dev/null shows it: for"
                    + " *.<hash>.plex.direct, 127-0-0-1.<hash>.plex.direct), and upstream_tls.ca unless a public CA"
                    + " issued it" + NL
                    + "ok   Plex 1.40.0.0000-test answers on https://127.0.0.1:" + tlsPlex.port()
                    + " (machine test-machine-id), its certificate not verified" + NL);
        }
    }

    @Test
    void registeredWithPlexgate() {
        StringWriter help = new StringWriter();
        CommandLine plexgate = PlexgateCommand.commandLine().setOut(new PrintWriter(help));

        assertThat(plexgate.execute("doctor", "--help")).isZero();

        assertThat(help.toString()).contains("--plex-token-file=FILE", "--strict");
    }

    /** A server certificate for plexbox.lan from a CA of the test's own, ending at {@code notAfter}, and its key. */
    private X509Certificate writeServerCertificate(Instant notAfter) {
        TestPki pki = TestPki.create("plexgate test CA");
        Issued server = pki.server(Instant.now().minus(Duration.ofHours(1)), notAfter, "plexbox.lan", "192.168.1.10");
        TestPki.writeCertificates(dir.resolve("server.pem"), server.certificate(), pki.caCertificate());
        TestPki.writeKey(dir.resolve("server.key"), server.key(), KeyFormat.PKCS8, null);
        return server.certificate();
    }

    /** Plex serving TLS with a certificate for {@link #PLEX_NAME} from {@code ca}, as Plex serves its plex.direct one. */
    private static TestOrigin startTlsPlex(TestPki ca) throws SSLException {
        Issued plex = ca.server(PLEX_NAME);
        return TestOrigin.startTls(SslContextBuilder.forServer(plex.key(), plex.certificate(), ca.caCertificate())
                .build());
    }

    private int doctor(String... options) {
        return doctor(List.of(procNetTcp), options);
    }

    private int doctor(List<Path> procTables, String... options) {
        DoctorEnvironment environment = new DoctorEnvironment(List.of(dir.resolve("absent.xml"), preferencesXml),
                procTables, host -> {
                    throw new UnknownHostException(host);
                }, Duration.ofSeconds(5), Duration.ofSeconds(5));
        CommandLine doctor = new CommandLine(new DoctorCommand(environment)).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(new StringWriter()));
        String[] arguments = new String[options.length + 2];
        arguments[0] = "-c";
        arguments[1] = config.toString();
        System.arraycopy(options, 0, arguments, 2, options.length);
        return doctor.execute(arguments);
    }

    private int plexPort() {
        return plexPort;
    }

    /** A {@code /proc/net/tcp}: an established connection, and Plex's port listening on {@code address}. */
    private String procTable(String address) {
        String port = String.format(Locale.ROOT, "%04X", plexPort());
        return "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                + "   0: 0100007F:7D01 0100007F:A2B4 01 00000000:00000000 00:00000000 00000000   998        0 1 1\n"
                + "   1: " + address + ":" + port + " 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998"
                + "        0 2 1\n";
    }

    private static String prefs(int secure, String relay, String custom, String allowed, String lan) {
        return "{\"MediaContainer\":{\"size\":5,\"Setting\":["
                + "{\"id\":\"secureConnections\",\"type\":\"int\",\"value\":" + secure + "},"
                + "{\"id\":\"RelayEnabled\",\"type\":\"bool\",\"value\":" + relay + "},"
                + "{\"id\":\"customConnections\",\"type\":\"text\",\"value\":\"" + custom + "\"},"
                + "{\"id\":\"allowedNetworks\",\"type\":\"text\",\"value\":\"" + allowed + "\"},"
                + "{\"id\":\"LanNetworksBandwidth\",\"type\":\"text\",\"value\":\"" + lan + "\"}]}}";
    }

    private static String ingress(int version, String service) {
        return "{\"version\":" + version + ",\"config\":{\"ingress\":[{\"hostname\":\"plex.example.com\",\"service\":\""
                + service + "\",\"originRequest\":{}},{\"service\":\"http_status:404\"}],\"warp-routing\":"
                + "{\"enabled\":false}}}";
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var response = exchange.getResponseBody()) {
            response.write(bytes);
        }
    }
}
