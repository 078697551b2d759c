package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.proxy.testing.RawHttpClient;
import dev.plexgate.proxy.testing.RawResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SIGTERM semantics: stop accepting, finish in-flight exchanges up to a deadline, then close. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class ShutdownTest {

    @Test
    void inFlightExchange_finishesDuringTheGracePeriod_andIdleConnectionsClose() throws Exception {
        ProxyHarness harness = ProxyHarness.start();
        try (RawHttpClient busy = new RawHttpClient(harness.port());
                RawHttpClient idle = new RawHttpClient(harness.port())) {
            idle.send("GET /identity HTTP/1.1\r\nHost: plex\r\n\r\n");
            assertThat(idle.readResponse().status()).isEqualTo(200);
            busy.send("GET /delay?ms=700 HTTP/1.1\r\nHost: plex\r\n\r\n");
            harness.origin.awaitRequests(2, Duration.ofSeconds(5));

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    harness.proxy.shutdown(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            assertThat(idle.isClosedByPeer()).as("an idle keep-alive connection closes at once").isTrue();
            RawResponse response = busy.readResponse();
            assertThat(response.bodyText()).isEqualTo("delayed");
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            stopped.get(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> new RawHttpClient(harness.port()).close()).isInstanceOf(ConnectException.class);
        } finally {
            harness.origin.close();
        }
    }

    @Test
    void exchangeOutlastingTheGracePeriod_isCut() throws Exception {
        ProxyHarness harness = ProxyHarness.start();
        try (RawHttpClient busy = new RawHttpClient(harness.port())) {
            busy.send("GET /delay?ms=20000 HTTP/1.1\r\nHost: plex\r\n\r\n");
            harness.origin.awaitRequests(1, Duration.ofSeconds(5));
            harness.proxy.shutdown(Duration.ofMillis(200));
            assertThatThrownBy(busy::readResponse).isInstanceOf(IOException.class);
        } finally {
            harness.origin.close();
        }
    }
}
