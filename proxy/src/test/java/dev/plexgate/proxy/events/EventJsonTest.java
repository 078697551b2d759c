package dev.plexgate.proxy.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.events.SecurityEvent.Action;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class EventJsonTest {

    private static final Instant TIME = Instant.parse("2026-11-26T18:00:00Z");

    @Test
    void line_everyFieldInOrder_timeWithMillis() {
        SecurityEvent event = new SecurityEvent(TIME, "8c1f2a3b4c5d6e7f-AMS", "203.0.113.7", "NL", "GET",
                "plex.example.com", "/library/sections", "Plex/1.0", "Restrict IPs", Action.BLOCK, 403);

        assertThat(EventJson.line(event)).isEqualTo("{\"time\":\"2026-11-26T18:00:00.000Z\","
                + "\"ray\":\"8c1f2a3b4c5d6e7f-AMS\",\"client\":\"203.0.113.7\",\"country\":\"NL\",\"method\":\"GET\","
                + "\"host\":\"plex.example.com\",\"path\":\"/library/sections\",\"user_agent\":\"Plex/1.0\","
                + "\"rule\":\"Restrict IPs\",\"action\":\"block\",\"status\":403}");
    }

    @Test
    void line_absentTexts_areEmptyStrings_notTerminatingIsStatusZero() {
        SecurityEvent event = new SecurityEvent(TIME.plusMillis(7), null, "::1", null, "GET", "h", "/", null,
                "Allow IPs to skip WAF", Action.SKIP, 0);

        assertThat(EventJson.line(event)).isEqualTo("{\"time\":\"2026-11-26T18:00:00.007Z\",\"ray\":\"\","
                + "\"client\":\"::1\",\"country\":\"\",\"method\":\"GET\",\"host\":\"h\",\"path\":\"/\","
                + "\"user_agent\":\"\",\"rule\":\"Allow IPs to skip WAF\",\"action\":\"skip\",\"status\":0}");
    }

    @Test
    void escape_quotesBackslashesAndControlCharacters() {
        assertThat(escaped("say \"hi\" \\ there")).isEqualTo("say \\\"hi\\\" \\\\ there");
        assertThat(escaped("a\nb\rc\td\be\ff")).isEqualTo("a\\nb\\rc\\td\\be\\ff");
        assertThat(escaped("\u0000\u0001\u001f\u007f")).isEqualTo("\\u0000\\u0001\\u001f\\u007f");
        assertThat(escaped("x\u2028y\u2029z")).isEqualTo("x\\u2028y\\u2029z");
    }

    @Test
    void escape_nonAsciiKeptAsIs_unpairedSurrogatesEscaped() {
        assertThat(escaped("Zürich – 東京 😀")).isEqualTo("Zürich – 東京 😀");
        assertThat(escaped("a\ud83dz")).isEqualTo("a\\ud83dz");
        assertThat(escaped("a\ude00z")).isEqualTo("a\\ude00z");
    }

    @Test
    void line_userAgentWithQuotes_staysOneValidLine() {
        SecurityEvent event = new SecurityEvent(TIME, "", "192.0.2.1", "", "GET", "h", "/",
                "evil\"}\n{\"action\":\"skip", "Block bots", Action.BLOCK, 403);

        assertThat(EventJson.line(event)).doesNotContain("\n")
                .contains("\"user_agent\":\"evil\\\"}\\n{\\\"action\\\":\\\"skip\",");
    }

    @Test
    void path_losesBothPlexTokens() {
        SecurityEvent event = new SecurityEvent(TIME, "", "192.0.2.1", "", "GET", "h",
                "/:/eventsource/notifications?X-Plex-Token=tok123&X-Plex-Device-Notification-Token=n0t1fy&f=1",
                "", "Log everything", Action.LOG, 0);

        assertThat(event.path()).isEqualTo(
                "/:/eventsource/notifications?X-Plex-Token=REDACTED&X-Plex-Device-Notification-Token=REDACTED&f=1");
        assertThat(EventJson.line(event)).doesNotContain("tok123").doesNotContain("n0t1fy")
                .contains("\"path\":\"/:/eventsource/notifications?X-Plex-Token=REDACTED&"
                        + "X-Plex-Device-Notification-Token=REDACTED&f=1\"");
    }

    private static String escaped(String value) {
        StringBuilder json = new StringBuilder();
        EventJson.escape(json, value);
        return json.toString();
    }
}
