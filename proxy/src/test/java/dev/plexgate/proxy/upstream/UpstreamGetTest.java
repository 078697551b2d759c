package dev.plexgate.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.proxy.testing.TestOrigin;
import dev.plexgate.proxy.testing.TestPki;
import dev.plexgate.proxy.testing.TestPki.Issued;
import dev.plexgate.proxy.tls.UpstreamTls;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One GET to a test origin on loopback, in plain HTTP and in TLS verified as the proxy verifies. */
class UpstreamGetTest {

    private static final String PLEX_NAME = "127-0-0-1.0123456789abcdef.plex.direct";

    private final TestPki pki = TestPki.create("origin CA");
    private final UpstreamGet get = new UpstreamGet(Duration.ofSeconds(5), "upstream-get-test");
    private TestOrigin origin;

    @AfterEach
    void stop() {
        get.close();
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void plainHttp_returnsStatusHeadersAndBody_andSendsTheGivenHeaders() throws Exception {
        origin = TestOrigin.start();
        UpstreamAddress upstream = new UpstreamAddress("127.0.0.1", origin.port());

        UpstreamGet.Response identity = get.get(upstream, "/identity", Map.of("Accept", "application/xml"));

        assertThat(identity.status()).isEqualTo(200);
        assertThat(identity.body()).isEqualTo(TestOrigin.IDENTITY_XML);
        assertThat(identity.headers().get("Content-Length"))
                .isEqualTo(String.valueOf(TestOrigin.IDENTITY_XML.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                        .length));
        assertThat(origin.lastRequest().header("Accept")).isEqualTo("application/xml");
        assertThat(origin.lastRequest().header("Host")).isEqualTo("127.0.0.1:" + origin.port());
        assertThat(origin.lastRequest().header("Connection")).isEqualTo("close");
    }

    @Test
    void anErrorStatus_isAnAnswer() throws Exception {
        origin = TestOrigin.start();

        assertThat(get.get(new UpstreamAddress("127.0.0.1", origin.port()), "/status/503", Map.of()).status())
                .isEqualTo(503);
    }

    @Test
    void tls_verifiedWithTheConfiguredCaAndServerName_whileConnectingToTheConfiguredHost() throws Exception {
        startTlsOrigin();

        UpstreamGet.Response identity = get.get(tls(new UpstreamTls(List.of(pki.caCertificate()), PLEX_NAME, false)),
                "/identity", Map.of());

        assertThat(identity.status()).isEqualTo(200);
        assertThat(identity.body()).isEqualTo(TestOrigin.IDENTITY_XML);
    }

    @Test
    void tls_anotherServerName_failsNamingTheMismatch() {
        startTlsOrigin();

        assertThatThrownBy(() -> get.get(tls(new UpstreamTls(List.of(pki.caCertificate()), "other.plex.direct", false)),
                "/identity", Map.of()))
                .isInstanceOfSatisfying(UpstreamGetException.class, e -> {
                    assertThat(e.tlsFailure()).isTrue();
                    assertThat(e.getMessage()).startsWith("TLS handshake failed: ").contains("other.plex.direct");
                });
        assertThat(origin.requestCount()).isZero();
    }

    @Test
    void tls_untrustedCa_fails() {
        startTlsOrigin();
        TestPki stranger = TestPki.create("another CA");

        assertThatThrownBy(() -> get.get(tls(new UpstreamTls(List.of(stranger.caCertificate()), PLEX_NAME, false)),
                "/identity", Map.of()))
                .isInstanceOfSatisfying(UpstreamGetException.class, e -> {
                    assertThat(e.tlsFailure()).isTrue();
                    assertThat(e.getMessage()).startsWith("TLS handshake failed: ");
                });
        assertThat(origin.requestCount()).isZero();
    }

    @Test
    void tls_insecureSkipVerify_acceptsAnyCertificate() throws Exception {
        startTlsOrigin();

        assertThat(get.get(tls(new UpstreamTls(List.of(), null, true)), "/identity", Map.of()).status())
                .isEqualTo(200);
    }

    @Test
    void nothingListening_isConnectionRefused() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        UpstreamAddress nobody = new UpstreamAddress("127.0.0.1", port);

        assertThatThrownBy(() -> get.get(nobody, "/identity", Map.of()))
                .isInstanceOf(UpstreamGetException.class).hasMessage("connection refused");
    }

    @Test
    void noAnswerInTime_failsAtTheTimeout() {
        origin = TestOrigin.start();
        try (UpstreamGet impatient = new UpstreamGet(Duration.ofMillis(300), "upstream-get-impatient")) {
            assertThatThrownBy(() -> impatient.get(new UpstreamAddress("127.0.0.1", origin.port()), "/delay?ms=5000",
                    Map.of()))
                    .isInstanceOf(UpstreamGetException.class).hasMessage("no answer within 300ms");
        }
    }

    @Test
    void aBodyOverTheLimit_failsInsteadOfGrowing() {
        origin = TestOrigin.start();

        assertThatThrownBy(() -> get.get(new UpstreamAddress("127.0.0.1", origin.port()),
                TestOrigin.partPath(UpstreamGet.MAX_BODY_BYTES + 1), Map.of()))
                .isInstanceOf(UpstreamGetException.class).hasMessageStartingWith("the answer is larger than 1024 KiB");
    }

    private void startTlsOrigin() {
        Issued plex = pki.server(PLEX_NAME);
        try {
            origin = TestOrigin.startTls(SslContextBuilder.forServer(plex.key(), plex.certificate(),
                    pki.caCertificate()).build());
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    private UpstreamAddress tls(UpstreamTls tls) {
        return new UpstreamAddress("127.0.0.1", origin.port(), tls);
    }
}
