package dev.plexgate.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class LogRelayTest {

    private static final String TOKEN = "eyJhIjoiMDEyMzQ1Njc4OWFiY2RlZiIsInQiOiI2ZmY0MmFlMi03NjVkLTRhZGYtODExMi0zMWM1NWMxNTUxZWYiLCJzIjoiYzJWamNtVjAifQ==";

    private final LogCapture log = new LogCapture();
    private final LogRelay relay = new LogRelay(new LogRedaction(TOKEN));

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void relay_consoleLines_atTheirLevel_withoutCloudflaredsTimestamp() {
        relay.relay("2026-11-26T18:00:00Z DBG Fetched config version=3");
        relay.relay("2026-11-26T18:00:00Z INF Registered tunnel connection connIndex=0"
                + " connection=9b8a3c2e-3a4f-4a43-9c34-6a1d5c8e2f10 location=ams01 protocol=quic");
        relay.relay("2026-11-26T18:00:01Z WRN Connection terminated connIndex=0");
        relay.relay("2026-11-26T18:00:01Z ERR Lost connection with the edge connIndex=0");
        relay.relay("2026-11-26T18:00:01Z FTL Failed to create new quic connection");
        relay.relay("Incorrect Usage: flag provided but not defined: -foo");

        assertThat(log.lines()).containsExactly(
                "DEBUG cloudflared: Fetched config version=3",
                "INFO cloudflared: Registered tunnel connection connIndex=0"
                        + " connection=9b8a3c2e-3a4f-4a43-9c34-6a1d5c8e2f10 location=ams01 protocol=quic",
                "WARN cloudflared: Connection terminated connIndex=0",
                "ERROR cloudflared: Lost connection with the edge connIndex=0",
                "ERROR cloudflared: Failed to create new quic connection",
                "WARN cloudflared: Incorrect Usage: flag provided but not defined: -foo");
    }

    @Test
    void relay_jsonLines_levelMessageAndFields() {
        relay.relay("{\"level\":\"info\",\"time\":\"2026-11-26T18:00:00Z\",\"connIndex\":0,\"location\":\"ams01\","
                + "\"message\":\"Registered tunnel connection\"}");
        relay.relay("{\"level\":\"warn\",\"time\":\"2026-11-26T18:00:00Z\",\"message\":\"Retrying \\\"soon\\\"\"}");
        relay.relay("{\"level\":\"error\",\"message\":\"Unable to reach the origin service\"}");

        assertThat(log.lines()).containsExactly(
                "INFO cloudflared: Registered tunnel connection connIndex=0 location=ams01",
                "WARN cloudflared: Retrying \"soon\"",
                "ERROR cloudflared: Unable to reach the origin service");
    }

    @Test
    void relay_secrets_areRedacted_idsAndPathsStay() {
        relay.relay("2026-11-26T18:00:00Z INF env TUNNEL_TOKEN=" + TOKEN);
        relay.relay("2026-11-26T18:00:00Z INF token " + TOKEN + " in a sentence");
        relay.relay("2026-11-26T18:00:00Z ERR GET /library/sections?X-Plex-Token=xYz123AbC&x=1 status=502");
        relay.relay("2026-11-26T18:00:00Z ERR header X-Plex-Token: aBc-987_xyz");
        relay.relay("2026-11-26T18:00:00Z ERR credentials {\"TunnelSecret\":\"Q2xvdWRmbGFyZVR1bm5lbFNlY3JldDEyMzQ1Njc4OQ==\"}");
        relay.relay("2026-11-26T18:00:00Z INF connection=9b8a3c2e-3a4f-4a43-9c34-6a1d5c8e2f10 config=/usr/local/etc/cloudflared/config.yml");
        relay.relay("{\"level\":\"info\",\"message\":\"escaped \\u0065yJhIjoiMDEyMzQ1Njc4OWFiY2RlZiIsInQiOiI2ZmY0MmFlMi\"}");

        assertThat(log.lines()).containsExactly(
                "INFO cloudflared: env TUNNEL_TOKEN=REDACTED",
                "INFO cloudflared: token REDACTED in a sentence",
                "ERROR cloudflared: GET /library/sections?X-Plex-Token=REDACTED&x=1 status=502",
                "ERROR cloudflared: header X-Plex-Token: REDACTED",
                "ERROR cloudflared: credentials {\"TunnelSecret\":\"REDACTED\"}",
                "INFO cloudflared: connection=9b8a3c2e-3a4f-4a43-9c34-6a1d5c8e2f10"
                        + " config=/usr/local/etc/cloudflared/config.yml",
                "INFO cloudflared: escaped REDACTED");
        assertThat(relay.lastLines()).noneMatch(line -> line.contains(TOKEN));
    }

    @Test
    void pump_overlongLine_isCut_andTheNextLineStillComes() throws Exception {
        String longLine = "2026-11-26T18:00:00Z INF " + "y".repeat(LogRelay.MAX_LINE * 3);
        relay.pump(new ByteArrayInputStream((longLine + "\r\n2026-11-26T18:00:00Z INF next\n")
                .getBytes(StandardCharsets.UTF_8)), "test-pump");
        relay.awaitEnd(Duration.ofSeconds(5));

        assertThat(log.lines()).hasSize(2);
        assertThat(log.lines().get(0)).endsWith("y [line cut at " + LogRelay.MAX_LINE + " characters]")
                .hasSizeLessThan(LogRelay.MAX_LINE + 100);
        assertThat(log.lines().get(1)).isEqualTo("INFO cloudflared: next");
    }

    @Test
    void lastLines_keepsTheTenMostRecent() {
        for (int i = 0; i < 15; i++) {
            relay.relay("2026-11-26T18:00:00Z INF line " + i);
        }

        assertThat(relay.lastLines()).hasSize(10).first().asString().endsWith("line 5");
    }
}
