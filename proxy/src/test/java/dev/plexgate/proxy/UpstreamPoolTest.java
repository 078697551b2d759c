package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The keep-alive pool to Plex over real sockets: reuse while fresh, closed once idle too long. */
class UpstreamPoolTest {

    @Test
    void idleConnectionIsClosedAfterUpstreamKeepAlive_andTheNextRequestOpensAFreshOne() throws Exception {
        Duration keepAlive = Duration.ofMillis(300);
        try (ProxyHarness harness = ProxyHarness.start(ProxyHarness.timeouts(t -> new ProxySettings.Timeouts(
                t.connect(), t.responseHeader(), t.requestHeader(), t.keepAlive(), t.streamIdle(), keepAlive,
                t.shutdown())))) {
            assertThat(get(harness)).isEqualTo(200);
            assertThat(harness.origin.openConnectionCount()).isEqualTo(1);

            await().atMost(Duration.ofSeconds(10)).until(() -> harness.origin.openConnectionCount() == 0);

            assertThat(get(harness)).isEqualTo(200);
            assertThat(harness.origin.connectionCount()).isEqualTo(2);
        }
    }

    @Test
    void connectionsInUseKeepBeingReused_theSweepClosesOnlyIdleOnes() throws Exception {
        Duration keepAlive = Duration.ofMillis(500);
        try (ProxyHarness harness = ProxyHarness.start(ProxyHarness.timeouts(t -> new ProxySettings.Timeouts(
                t.connect(), t.responseHeader(), t.requestHeader(), t.keepAlive(), t.streamIdle(), keepAlive,
                t.shutdown())))) {
            long end = System.nanoTime() + keepAlive.multipliedBy(4).toNanos();
            int requests = 0;
            while (System.nanoTime() < end) {
                assertThat(get(harness)).isEqualTo(200);
                requests++;
            }

            assertThat(requests).isGreaterThan(4);
            assertThat(harness.origin.connectionCount()).as("one connection, never idle long enough to go")
                    .isEqualTo(1);
        }
    }

    private static int get(ProxyHarness harness) throws Exception {
        return harness.client.send(HttpRequest.newBuilder(harness.uri("/identity")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
