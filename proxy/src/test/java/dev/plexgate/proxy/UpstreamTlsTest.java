package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.testing.TestOrigin;
import dev.plexgate.proxy.testing.TestPki;
import dev.plexgate.proxy.testing.TestPki.Issued;
import dev.plexgate.proxy.testing.WebSocketGreeting;
import dev.plexgate.proxy.tls.UpstreamTls;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An {@code https://} upstream: a test origin serving TLS with a certificate from its own CA, as
 * Plex serves its plex.direct certificate, verified by the proxy or refused.
 */
class UpstreamTlsTest {

    private static final String PLEX_NAME = "127-0-0-1.0123456789abcdef.plex.direct";

    private final TestPki pki = TestPki.create("origin CA");
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestOrigin origin;
    private ProxyServer proxy;

    @BeforeEach
    void startOrigin() throws Exception {
        Issued plex = pki.server(PLEX_NAME);
        origin = TestOrigin.startTls(SslContextBuilder.forServer(plex.key(), plex.certificate(), pki.caCertificate())
                .build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.close();
        }
        origin.close();
    }

    @Test
    void verifiedAgainstTheConfiguredCaAndServerName() throws Exception {
        start(new UpstreamTls(List.of(pki.caCertificate()), PLEX_NAME, false));

        HttpResponse<String> identity = get("/identity");
        HttpResponse<byte[]> range = client.send(HttpRequest.newBuilder(uri(TestOrigin.partPath(1 << 20)))
                .header("Range", "bytes=1000-1999").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(identity.statusCode()).isEqualTo(200);
        assertThat(identity.body()).isEqualTo(TestOrigin.IDENTITY_XML);
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(TestOrigin.contentBytes(1000, 1000));
        assertThat(origin.connectionCount()).as("keep-alive over TLS").isEqualTo(1);
    }

    @Test
    void websocketIsRelayedOverTheTlsUpstream() throws Exception {
        start(new UpstreamTls(List.of(pki.caCertificate()), PLEX_NAME, false));
        assertThat(WebSocketGreeting.firstText(client,
                URI.create("ws://127.0.0.1:" + proxy.localAddress().getPort() + "/:/websockets/notifications")))
                .isEqualTo(TestOrigin.WEBSOCKET_HELLO);
    }

    @Test
    void certificateFromAnUntrustedCaGetsA502() throws Exception {
        start(new UpstreamTls(List.of(), PLEX_NAME, false)); // the JDK's trust store knows no test CA

        HttpResponse<String> response = get("/identity");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("plexgate could not set up TLS with Plex.");
        assertThat(origin.requestCount()).isZero();
    }

    @Test
    void certificateForAnotherNameGetsA502() throws Exception {
        start(new UpstreamTls(List.of(pki.caCertificate()), "other.plex.direct", false));

        assertThat(get("/identity").statusCode()).isEqualTo(502);
        assertThat(origin.requestCount()).isZero();
    }

    @Test
    void withoutServerNameTheUpstreamHostIsVerified() throws Exception {
        start(new UpstreamTls(List.of(pki.caCertificate()), null, false)); // 127.0.0.1 is not in the certificate

        assertThat(get("/identity").statusCode()).isEqualTo(502);
    }

    @Test
    void insecureSkipVerifyAcceptsAnyCertificate() throws Exception {
        start(new UpstreamTls(List.of(), null, true));

        assertThat(get("/identity").statusCode()).isEqualTo(200);
    }

    private void start(UpstreamTls tls) throws InterruptedException {
        proxy = ProxyServer.start(TestTransport.defaults(new InetSocketAddress("127.0.0.1", 0),
                new UpstreamAddress("127.0.0.1", origin.port(), tls)));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + proxy.localAddress().getPort() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
