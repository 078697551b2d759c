package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plexgate.proxy.testing.RawHttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deadlines and caps that keep slow or numerous clients from holding the proxy. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class ConnectionLimitsTest {

    private static ProxyHarness startWith(Duration requestHeader, Duration keepAlive) throws InterruptedException {
        return ProxyHarness.start(ProxyHarness.timeouts(t -> new ProxySettings.Timeouts(t.connect(),
                t.responseHeader(), requestHeader, keepAlive, t.streamIdle(), t.upstreamKeepAlive(), t.shutdown())));
    }

    @Test
    void slowloris_trickledHead_gets408AndIsClosed() throws Exception {
        try (ProxyHarness harness = startWith(Duration.ofMillis(500), Duration.ofSeconds(30));
                RawHttpClient raw = new RawHttpClient(harness.port())) {
            long start = System.nanoTime();
            raw.send("GET /identity HTTP/1.1\r\n");
            raw.send("Host: plex\r\n"); // ...and never the blank line
            assertThat(raw.readResponse().status()).isEqualTo(408);
            assertThat(raw.isClosedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(harness.origin.requestCount()).isZero();
        }
    }

    @Test
    void silentNewConnection_isClosedAfterTheHeadDeadline() throws Exception {
        try (ProxyHarness harness = startWith(Duration.ofMillis(300), Duration.ofSeconds(30));
                RawHttpClient raw = new RawHttpClient(harness.port())) {
            assertThat(raw.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void idleKeepAliveConnection_isClosedAfterKeepAliveTimeout() throws Exception {
        try (ProxyHarness harness = startWith(Duration.ofSeconds(10), Duration.ofMillis(400));
                RawHttpClient raw = new RawHttpClient(harness.port(), Duration.ofSeconds(5))) {
            raw.send("GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
            assertThat(raw.readResponse().status()).isEqualTo(200);
            assertThat(raw.isClosedByPeer()).as("closed after keep_alive, well before the 5 s read timeout").isTrue();
        }
    }

    @Test
    void keepAliveConnection_inUse_isNotClosedByTheHeadDeadline() throws Exception {
        try (ProxyHarness harness = startWith(Duration.ofMillis(300), Duration.ofSeconds(30));
                RawHttpClient raw = new RawHttpClient(harness.port())) {
            for (int i = 0; i < 3; i++) {
                raw.send("GET /delay?ms=200 HTTP/1.1\r\nHost: plex\r\n\r\n");
                assertThat(raw.readResponse().bodyText()).isEqualTo("delayed");
            }
        }
    }

    /**
     * Two event loops on purpose: the connections alternate between them, and the cap must still
     * refuse exactly the newest ones (admission is in accept order), never let one too many in,
     * and count a closed connection out so that the next one is served.
     */
    @Test
    void connectionCap_refusesTheNewestConnectionsBeyondIt_withSeveralEventLoops() throws Exception {
        try (ProxyHarness harness = ProxyHarness.start(s -> new ProxySettings(s.listen(), s.upstream(),
                s.trustedProxies(), s.clientIpHeader(), s.cacheBypass(), s.timeouts(),
                new ProxySettings.Limits(2, s.limits().maxHeaderSize(), s.limits().maxRequestLine(),
                        s.limits().maxIdleUpstream()), 2, s.transport(), s.listenTls()));
                RawHttpClient first = new RawHttpClient(harness.port());
                RawHttpClient second = new RawHttpClient(harness.port())) {
            List<RawHttpClient> beyondTheCap = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    beyondTheCap.add(new RawHttpClient(harness.port()));
                }
                for (RawHttpClient refused : beyondTheCap) {
                    assertThat(refused.isClosedByPeer()).isTrue();
                }
            } finally {
                for (RawHttpClient client : beyondTheCap) {
                    client.close();
                }
            }
            first.send("GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
            assertThat(first.readResponse().status()).isEqualTo(200);
            second.send("GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
            assertThat(second.readResponse().status()).isEqualTo(200);
            assertThat(harness.proxy.refusedConnections()).isEqualTo(6);

            first.close(); // closing twice (here and at the end of the block) is harmless
            await().atMost(Duration.ofSeconds(5)).until(() -> harness.proxy.openConnections() == 1);
            try (RawHttpClient next = new RawHttpClient(harness.port())) {
                next.send("GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
                assertThat(next.readResponse().status()).isEqualTo(200);
            }
            assertThat(harness.proxy.refusedConnections()).isEqualTo(6);
        }
    }
}
