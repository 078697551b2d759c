package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plexgate.proxy.testing.IncompleteResponseException;
import dev.plexgate.proxy.testing.RawHttpClient;
import dev.plexgate.proxy.testing.RawResponse;
import dev.plexgate.proxy.testing.TestOrigin;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a client sees when Plex is down, silent, or breaks off. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class FailureTest {

    @Test
    void deadOrigin_gets502Page() throws Exception {
        try (ProxyHarness harness = ProxyHarness.start()) {
            harness.origin.stop();
            try (RawHttpClient raw = new RawHttpClient(harness.port())) {
                raw.send("GET /library/sections?X-Plex-Token=abc HTTP/1.1\r\nHost: plex\r\n\r\n");
                RawResponse response = raw.readResponse();
                assertThat(response.status()).isEqualTo(502);
                assertThat(response.header("content-type")).startsWith("text/html");
                assertThat(response.bodyText()).contains("502 Bad Gateway").doesNotContain("abc");
                raw.send("GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
                assertThat(raw.readResponse().status()).as("the client connection stays usable").isEqualTo(502);
            }
        }
    }

    @Test
    void originThatNeverAcceptsTheConnection_gets502AfterTheConnectTimeout() throws Exception {
        // A listener that never accepts, its backlog filled: further SYNs are dropped, so a
        // connect neither succeeds nor fails until the proxy's connect timeout.
        try (ServerSocket stuck = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                Socket filler1 = new Socket();
                Socket filler2 = new Socket()) {
            filler1.connect(stuck.getLocalSocketAddress(), 1000);
            filler2.connect(stuck.getLocalSocketAddress(), 1000);
            ProxySettings settings = TestTransport.defaults(new InetSocketAddress("127.0.0.1", 0),
                    new UpstreamAddress("127.0.0.1", stuck.getLocalPort()));
            ProxyServer proxy = ProxyServer.start(settings.withTimeouts(new ProxySettings.Timeouts(
                    Duration.ofMillis(300), settings.timeouts().responseHeader(), settings.timeouts().requestHeader(),
                    settings.timeouts().keepAlive(), settings.timeouts().streamIdle(),
                    settings.timeouts().upstreamKeepAlive(), settings.timeouts().shutdown())));
            try (RawHttpClient raw = new RawHttpClient(proxy.localAddress().getPort())) {
                long start = System.nanoTime();
                raw.send("GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
                RawResponse response = raw.readResponse();
                assertThat(response.status()).isEqualTo(502);
                assertThat(response.bodyText()).contains("could not connect to Plex");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered by the timeout, not a refusal")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
            } finally {
                proxy.close();
            }
        }
    }

    @Test
    void silentOrigin_gets504AfterTheResponseHeaderTimeout() throws Exception {
        try (ProxyHarness harness = ProxyHarness.start(ProxyHarness.timeouts(t -> new ProxySettings.Timeouts(
                t.connect(), Duration.ofMillis(300), t.requestHeader(), t.keepAlive(), t.streamIdle(),
                t.upstreamKeepAlive(), t.shutdown())))) {
            try (RawHttpClient raw = new RawHttpClient(harness.port())) {
                raw.send("GET /delay?ms=5000 HTTP/1.1\r\nHost: plex\r\n\r\n");
                RawResponse response = raw.readResponse();
                assertThat(response.status()).isEqualTo(504);
                assertThat(response.bodyText()).contains("504 Gateway Timeout");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> harness.origin.openConnectionCount() == 0);
        }
    }

    @Test
    void slowButInTimeOrigin_isAnsweredNormally() throws Exception {
        try (ProxyHarness harness = ProxyHarness.start(ProxyHarness.timeouts(t -> new ProxySettings.Timeouts(
                t.connect(), Duration.ofSeconds(3), t.requestHeader(), t.keepAlive(), t.streamIdle(),
                t.upstreamKeepAlive(), t.shutdown())));
                RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send("GET /delay?ms=300 HTTP/1.1\r\nHost: plex\r\n\r\n");
            assertThat(raw.readResponse().bodyText()).isEqualTo("delayed");
        }
    }

    @Test
    void originResetMidBody_closesTheClientWithoutACompleteLookingBody() throws Exception {
        try (ProxyHarness harness = ProxyHarness.start();
                RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send("GET /reset?after=50000 HTTP/1.1\r\nHost: plex\r\n\r\n");
            assertThatThrownBy(raw::readResponse)
                    .isInstanceOf(IncompleteResponseException.class)
                    .satisfies(e -> assertThat(((IncompleteResponseException) e).partial().body().length)
                            .isLessThan(TestOrigin.RESET_ANNOUNCED_LENGTH));
        }
    }

    @Test
    void conflictingContentLengthsFromPlex_get502_andTheConnectionToPlexIsClosed() throws Exception {
        try (ProxyHarness harness = ProxyHarness.start();
                RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send("GET /broken?kind=lengths HTTP/1.1\r\nHost: plex\r\n\r\n");
            RawResponse response = raw.readResponse();
            assertThat(response.status()).isEqualTo(502);
            assertThat(response.bodyText()).contains("invalid response");
            await("Plex's side closed").atMost(Duration.ofSeconds(5))
                    .until(() -> harness.origin.openConnectionCount() == 0);
            raw.send("GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
            assertThat(raw.readResponse().status()).as("the client connection stays usable").isEqualTo(200);
        }
    }

    /**
     * Plex breaks its chunked framing after the head went out: the client must see a cut body,
     * never the terminating chunk of a complete one, and the broken connection must not go back
     * to the pool (its next response could never be read). Plex keeps it open, so only the proxy
     * closing it brings the origin's count to zero.
     */
    @Test
    void invalidChunkMidBody_closesTheClient_andNeverPoolsTheConnectionToPlex() throws Exception {
        try (ProxyHarness harness = ProxyHarness.start();
                RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send("GET /broken?kind=chunk HTTP/1.1\r\nHost: plex\r\n\r\n");
            // Closed with the head or part of the body, or before either was flushed: never complete.
            assertThatThrownBy(raw::readResponse).isInstanceOf(IOException.class);
            await("Plex's side closed").atMost(Duration.ofSeconds(5))
                    .until(() -> harness.origin.openConnectionCount() == 0);
        }
    }

    /**
     * The reset lands while the proxy still reads the last bytes before it. It must be noticed
     * every time: io_uring once lost it about every second time (Transport#singleShotPollIn).
     */
    @Test
    void originResetMidBody_isNoticedEveryTime() throws Exception {
        try (ProxyHarness harness = ProxyHarness.start()) {
            for (int attempt = 1; attempt <= 30; attempt++) {
                try (RawHttpClient raw = new RawHttpClient(harness.port(), Duration.ofSeconds(3))) {
                    raw.send("GET /reset?after=50000 HTTP/1.1\r\nHost: plex\r\n\r\n");
                    assertThatThrownBy(raw::readResponse).as("attempt %d", attempt)
                            .isInstanceOf(IncompleteResponseException.class);
                }
            }
        }
    }

    /**
     * A viewer who leaves while Plex is still sending must not leave Plex sending to nobody: the
     * connection to Plex closes too, each time, though the proxy is waiting for Plex's next bytes
     * when the client goes (on io_uring a receive in flight can keep a closed socket alive).
     */
    @Test
    void clientLeavingMidBody_closesItsConnectionToPlex() throws Exception {
        try (ProxyHarness harness = ProxyHarness.start()) {
            for (int attempt = 1; attempt <= 10; attempt++) {
                try (RawHttpClient raw = new RawHttpClient(harness.port())) {
                    raw.send("GET /slow?chunks=500&interval_ms=20&size=100 HTTP/1.1\r\nHost: plex\r\n\r\n");
                    assertThat(raw.readResponseHead().status()).isEqualTo(200);
                    raw.readBytes(50);
                }
                await("Plex's side closed, attempt " + attempt).atMost(Duration.ofSeconds(5))
                        .until(() -> harness.origin.openConnectionCount() == 0);
            }
        }
    }

    @Test
    void pooledConnectionClosedByTheOrigin_isReplacedTransparently() throws Exception {
        try (ProxyHarness harness = ProxyHarness.start();
                RawHttpClient raw = new RawHttpClient(harness.port())) {
            raw.send("GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
            assertThat(raw.readResponse().status()).isEqualTo(200);
            harness.origin.closeConnections();
            await().atMost(Duration.ofSeconds(5)).until(() -> harness.origin.openConnectionCount() == 0);

            raw.send("GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
            assertThat(raw.readResponse().status()).isEqualTo(200);
            assertThat(harness.origin.connectionCount()).isEqualTo(2);
        }
    }
}
