package dev.plexgate.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class ClientTrafficWindowTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ClientTrafficWindow window = new ClientTrafficWindow(meters);
    private final Instant start = Instant.parse("2026-11-26T20:00:00Z");

    private Counter sent(String client) {
        return Counter.builder("plexgate.client.sent").tag("client", client).register(meters);
    }

    @Test
    void firstHour_countsSinceTheStart_mostFirst() {
        window.sample(start);
        sent("bob").increment(500);
        sent("alice").increment(2000);
        sent("unknown").increment(10);

        assertThat(window.top(2, start.plus(Duration.ofMinutes(30)))).containsExactly(
                new ClientTrafficWindow.ClientBytes("alice", 2000), new ClientTrafficWindow.ClientBytes("bob", 500));
    }

    @Test
    void laterOn_onlyTheLastHourCounts() {
        window.sample(start);
        sent("bob").increment(1000); // sent in the first minutes
        for (int minute = 1; minute <= 90; minute++) {
            window.sample(start.plus(Duration.ofMinutes(minute)));
        }
        sent("bob").increment(300); // sent in the last hour
        sent("carol").increment(50);

        assertThat(window.top(5, start.plus(Duration.ofMinutes(90)))).containsExactly(
                new ClientTrafficWindow.ClientBytes("bob", 300), new ClientTrafficWindow.ClientBytes("carol", 50));
    }

    @Test
    void idleClients_areLeftOut() {
        sent("bob").increment(100);
        window.sample(start);
        assertThat(window.top(5, start.plus(Duration.ofMinutes(5)))).isEmpty();
    }
}
