package dev.plexgate.control.allow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-name byte counter read from Prometheus text, and how it is shown. */
final class ClientTrafficTest {

    @Test
    void parse_readsTheCounterPerClient_ignoresEverythingElse() {
        ClientTraffic traffic = ClientTraffic.parse("""
                # HELP plexgate_client_sent_bytes_total Response bytes sent to clients, by allow-list entry name
                # TYPE plexgate_client_sent_bytes_total counter
                plexgate_client_sent_bytes_total{client="bob"} 2048.0
                plexgate_client_sent_bytes_total{client="alice",zone="x"} 5.0
                plexgate_requests_total{client="bob"} 7.0
                plexgate_client_sent_bytes_total{client="carol"} NaN
                """);

        assertThat(traffic.sentTo("bob")).isEqualTo(2048);
        assertThat(traffic.sentTo("alice")).isEqualTo(5);
        assertThat(traffic.sentTo("carol")).isZero();
        assertThat(traffic.sentTo("dave")).isZero();
    }

    @Test
    void humanBytes() {
        assertThat(ClientTraffic.humanBytes(0)).isEqualTo("0 B");
        assertThat(ClientTraffic.humanBytes(999)).isEqualTo("999 B");
        assertThat(ClientTraffic.humanBytes(1536)).isEqualTo("1.5 kB");
        assertThat(ClientTraffic.humanBytes(3_400_000)).isEqualTo("3.4 MB");
        assertThat(ClientTraffic.humanBytes(1_250_000_000L)).isEqualTo("1.3 GB");
    }
}
