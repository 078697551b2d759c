package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.plexgate.proxy.events.EventLog;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.testing.RawHttpClient;
import dev.plexgate.proxy.testing.RawResponse;
import dev.plexgate.proxy.testing.TestOrigin;
import dev.plexgate.proxy.testing.TestPki;
import dev.plexgate.proxy.testing.TestPki.Issued;
import dev.plexgate.proxy.testing.TestPki.KeyFormat;
import dev.plexgate.proxy.testing.WebSocketGreeting;
import dev.plexgate.proxy.tls.ServerIdentity;
import dev.plexgate.proxy.tls.ServerTlsFiles;
import dev.plexgate.proxy.tls.TlsListener;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The TLS listener over real handshakes on loopback: serving, client certificates, a renewed certificate. */
class TlsListenerTest {

    private static final String GET_IDENTITY = "GET /identity HTTP/1.1\r\nHost: plexbox.lan\r\n\r\n";

    private final TestPki pki = TestPki.create("plexgate test CA");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TestOrigin origin = TestOrigin.start();
    private ProxyServer proxy;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.close();
        }
        origin.close();
    }

    @Test
    void servesPlexOverTlsBesideThePlainListener() throws Exception {
        start(identity(pki.server("localhost", "127.0.0.1"), null, "a"));
        HttpClient client = HttpClient.newBuilder().sslContext(pki.clientContext(null))
                .version(HttpClient.Version.HTTP_1_1).build();

        HttpResponse<String> overTls = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + proxy.tlsAddress().getPort() + "/identity")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> plain = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.localAddress().getPort() + "/identity")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(overTls.statusCode()).isEqualTo(200);
        assertThat(overTls.body()).isEqualTo(TestOrigin.IDENTITY_XML);
        assertThat(overTls.sslSession()).get().satisfies(session ->
                assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(origin.requestCount()).isEqualTo(2);
    }

    @Test
    void websocketRunsOverTheTlsListener() throws Exception {
        start(identity(pki.server("localhost"), null, "a"));
        HttpClient client = HttpClient.newBuilder().sslContext(pki.clientContext(null)).build();

        assertThat(WebSocketGreeting.firstText(client,
                URI.create("wss://localhost:" + proxy.tlsAddress().getPort() + "/:/websockets/notifications")))
                .isEqualTo(TestOrigin.WEBSOCKET_HELLO);
    }

    @Test
    void renewedCertificateServesNewConnectionsWhileAnOpenOneKeepsItsOwn() throws Exception {
        Issued first = pki.server("localhost");
        start(identity(first, null, "first"));
        SSLContext clientContext = pki.clientContext(null);

        try (RawHttpClient open = RawHttpClient.overTls(proxy.tlsAddress().getPort(), clientContext)) {
            assertThat(open.send(GET_IDENTITY).readResponse().status()).isEqualTo(200);

            Issued renewed = pki.server("localhost");
            proxy.reload(proxy.settings().withListenTls(new TlsListener(proxy.settings().listenTls().address(),
                    identity(renewed, null, "renewed"))), proxy.policy());

            try (RawHttpClient fresh = RawHttpClient.overTls(proxy.tlsAddress().getPort(), clientContext)) {
                assertThat(peerCertificate(fresh)).isEqualTo(renewed.certificate());
                assertThat(fresh.send(GET_IDENTITY).readResponse().status()).isEqualTo(200);
            }
            RawResponse again = open.send(GET_IDENTITY).readResponse();
            assertThat(again.status()).isEqualTo(200);
            assertThat(peerCertificate(open)).isEqualTo(first.certificate());
        }
        assertThat(registry.get("plexgate.tls.certificate.expiry.timestamp").gauge().value())
                .isEqualTo(proxy.settings().listenTls().identity().notAfter().getEpochSecond());
    }

    @Test
    void reloadCannotMoveAddOrRemoveTheTlsListener_itNeedsARestart() throws Exception {
        start(identity(pki.server("localhost"), null, "a"));
        ProxySettings running = proxy.settings();

        assertThatThrownBy(() -> proxy.reload(running.withListenTls(null), proxy.policy()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("listen_tls.address changed from /127.0.0.1:0 to none (no listen_tls): restart plexgate"
                        + " to apply it");
        assertThat(proxy.settings()).isSameAs(running);
    }

    @Test
    void clientCertificateFromTheClientCaIsServed() throws Exception {
        start(identity(pki.server("localhost"), pki.caCertificate(), "a"));

        try (RawHttpClient client = RawHttpClient.overTls(proxy.tlsAddress().getPort(),
                pki.clientContext(pki.client("cloudflared-box")))) {
            assertThat(client.send(GET_IDENTITY).readResponse().status()).isEqualTo(200);
        }
        assertThat(registry.get("plexgate.tls.handshake.failures").counter().count()).isZero();
    }

    @Test
    void peersWithoutAnAcceptedClientCertificateAreRefusedCountedAndLogged() throws Exception {
        start(identity(pki.server("localhost"), pki.caCertificate(), "a"));
        TestPki stranger = TestPki.create("someone else's CA");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger("dev.plexgate.proxy.http.TlsHandshakeObserver");
        logs.start();
        logger.addAppender(logs);
        try {
            int port = proxy.tlsAddress().getPort();
            // Trusts plexgate's CA but has no certificate of its own / one from another CA.
            assertRefused(port, pki.clientContext(null));
            assertRefused(port, pki.clientContext(stranger.client("intruder")));

            await().atMost(Duration.ofSeconds(10)).until(() ->
                    registry.get("plexgate.tls.handshake.failures").counter().count() == 2);
            assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                    .allSatisfy(line -> assertThat(line).startsWith("TLS handshake with 127.0.0.1:").contains("failed"));
        } finally {
            logger.detachAppender(logs);
        }
        assertThat(origin.requestCount()).isZero();
    }

    private static void assertRefused(int port, SSLContext context) {
        assertThatThrownBy(() -> {
            try (RawHttpClient client = RawHttpClient.overTls(port, context)) {
                client.send(GET_IDENTITY).readResponse();
            }
        }).isInstanceOf(IOException.class);
    }

    private static X509Certificate peerCertificate(RawHttpClient client) throws IOException {
        return (X509Certificate) client.tlsSession().getPeerCertificates()[0];
    }

    private void start(ServerIdentity identity) throws InterruptedException {
        ProxySettings settings = TestTransport.defaults(new InetSocketAddress("127.0.0.1", 0),
                        new UpstreamAddress("127.0.0.1", origin.port()))
                .withListenTls(new TlsListener(new InetSocketAddress("127.0.0.1", 0), identity));
        proxy = ProxyServer.start(settings, Policy.allowAll(), EventLog.disabled(), registry);
    }

    private ServerIdentity identity(Issued server, X509Certificate clientCa, String name) throws Exception {
        Path certificate = TestPki.writeCertificates(dir.resolve(name + ".pem"), server.certificate(),
                pki.caCertificate());
        Path key = TestPki.writeKey(dir.resolve(name + ".key"), server.key(), KeyFormat.PKCS8, null);
        Path ca = clientCa == null ? null : TestPki.writeCertificates(dir.resolve(name + "-clients.pem"), clientCa);
        return ServerIdentity.load(new ServerTlsFiles(certificate, key, null, ca), Instant.now());
    }
}
