package dev.plexgate.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plexgate.agent.AgentState;
import dev.plexgate.agent.AgentStatus;
import dev.plexgate.proxy.ProxyServer;
import dev.plexgate.proxy.ProxySettings;
import dev.plexgate.proxy.events.EventLog;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.testing.TestPki;
import dev.plexgate.proxy.testing.TestPki.Issued;
import dev.plexgate.proxy.testing.TestPki.KeyFormat;
import dev.plexgate.proxy.tls.ServerIdentity;
import dev.plexgate.proxy.tls.ServerTlsFiles;
import dev.plexgate.proxy.tls.TlsEngine;
import dev.plexgate.proxy.tls.TlsListener;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code tls} part of {@code /status}: a real proxy with a TLS listener on loopback, a test CA's certificate. */
final class StatusDocumentTest {

    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    private final TestPki pki = TestPki.create("plexgate test CA");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ProxyServer proxy;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws InterruptedException {
        proxy.close();
    }

    @Test
    void tlsListener_boundAddressEngineAndCertificate() throws Exception {
        Instant now = Instant.now();
        Issued server = pki.server(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(90)), "plexbox.lan");
        start(server, null, now);

        JsonNode tls = status(now).get("tls");

        assertThat(tls.get("address").asText()).isEqualTo("127.0.0.1:" + proxy.tlsAddress().getPort());
        assertThat(proxy.tlsAddress().getPort()).isNotZero();
        assertThat(tls.get("engine").asText()).isEqualTo(TlsEngine.describe());
        assertThat(tls.get("subject").asText()).isEqualTo("CN=plexbox.lan");
        assertThat(tls.get("not_after").asText()).isEqualTo(server.certificate().getNotAfter().toInstant().toString());
        assertThat(tls.get("days_left").asLong()).isEqualTo(89);
        assertThat(tls.get("expiring_soon").asBoolean()).isFalse();
        assertThat(tls.get("client_certificates_required").asBoolean()).isFalse();
    }

    @Test
    void certificateEndingWithin14Days_isExpiringSoon() throws Exception {
        Instant now = Instant.now();
        start(pki.server(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(5).plusHours(1)), "plexbox.lan"),
                null, now);

        JsonNode tls = status(now).get("tls");

        assertThat(tls.get("days_left").asLong()).isEqualTo(5);
        assertThat(tls.get("expiring_soon").asBoolean()).isTrue();
    }

    @Test
    void clientCa_clientCertificatesRequired() throws Exception {
        Instant now = Instant.now();
        Path clientCa = TestPki.writeCertificates(dir.resolve("clients.pem"),
                TestPki.create("proxy clients CA").caCertificate());
        start(pki.server("plexbox.lan"), clientCa, now);

        assertThat(status(now).at("/tls/client_certificates_required").asBoolean()).isTrue();
    }

    @Test
    void noTlsListener_noTlsObject() throws Exception {
        proxy = ProxyServer.start(ProxySettings.defaults(LOOPBACK_ANY_PORT, new UpstreamAddress("127.0.0.1", 32400)),
                policy(), EventLog.disabled());

        JsonNode status = status(Instant.now());

        assertThat(status.has("listener")).isTrue();
        assertThat(status.has("tls")).isFalse();
    }

    private void start(Issued server, Path clientCa, Instant now) throws Exception {
        Path certificate = TestPki.writeCertificates(dir.resolve("server.pem"), server.certificate(),
                pki.caCertificate());
        Path key = TestPki.writeKey(dir.resolve("server.key"), server.key(), KeyFormat.PKCS8, null);
        ServerIdentity identity = ServerIdentity.load(new ServerTlsFiles(certificate, key, null, clientCa), now);
        proxy = ProxyServer.start(ProxySettings.defaults(LOOPBACK_ANY_PORT, new UpstreamAddress("127.0.0.1", 32400))
                .withListenTls(new TlsListener(LOOPBACK_ANY_PORT, identity)), policy(), EventLog.disabled());
    }

    private Policy policy() {
        return new Policy(List.of(), List.of(), false, userAgent -> false, meters);
    }

    private JsonNode status(Instant now) throws Exception {
        return new ObjectMapper().readTree(StatusDocument.write(new Service(proxy, meters), UpstreamHealth.NOT_PROBED,
                new ClientTrafficWindow(meters), now));
    }

    /** A service started a minute ago with the tunnel off. */
    private record Service(ProxyServer proxy, MeterRegistry meters) implements RunningService {

        @Override
        public String version() {
            return "1.2.3";
        }

        @Override
        public Instant started() {
            return Instant.now().minusSeconds(60);
        }

        @Override
        public Path configFile() {
            return Path.of("/etc/plexgate/plexgate.yml");
        }

        @Override
        public AgentStatus tunnel() {
            return new AgentStatus(AgentState.DISABLED, Instant.now(), 0, null, 0, null, null, null);
        }

        @Override
        public ReloadReport lastReload() {
            return new ReloadReport(Instant.now(), "start", true, "loaded");
        }

        @Override
        public ReloadReport reload(String trigger) {
            throw new UnsupportedOperationException("not reloaded here");
        }
    }
}
