package dev.plexgate.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.agent.ReadinessProbe.Readiness;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class ReadinessProbeTest {

    private static final UUID CONNECTOR = UUID.fromString("b1c2d3e4-0000-4000-8000-000000000001");

    @Test
    void parse_cloudflaredsBodies() {
        assertThat(ReadinessProbe.parse(200, "{\"status\":200,\"readyConnections\":4,\"connectorId\":\""
                + CONNECTOR + "\"}")).isEqualTo(new Readiness(true, 200, 4, CONNECTOR)).matches(Readiness::ready);
        assertThat(ReadinessProbe.parse(503, "{\"status\":503,\"readyConnections\":0,\"connectorId\":\""
                + CONNECTOR + "\"}")).isEqualTo(new Readiness(true, 503, 0, CONNECTOR)).matches(r -> !r.ready());
    }

    @Test
    void parse_200WithoutConnections_isNotReady() {
        assertThat(ReadinessProbe.parse(200, "{\"status\":200,\"readyConnections\":0}").ready()).isFalse();
    }

    @Test
    void parse_foreignBody_statusDecides() {
        assertThat(ReadinessProbe.parse(200, "OK")).isEqualTo(new Readiness(true, 200, 1, null));
        assertThat(ReadinessProbe.parse(404, "404 page not found")).isEqualTo(new Readiness(true, 404, 0, null));
    }

    @Test
    void check_nothingListening_isUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        assertThat(new ReadinessProbe(ReadinessProbe.client(Duration.ofMillis(500)), "127.0.0.1:" + port,
                Duration.ofMillis(500)).check())
                .isEqualTo(Readiness.UNREACHABLE);
    }
}
