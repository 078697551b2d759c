package dev.plexgate.control.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

final class EventLineTest {

    @Test
    void parse_everyField_keepsTheText() {
        String text = "{\"time\":\"2026-11-26T18:00:00.123Z\",\"ray\":\"r\",\"client\":\"203.0.113.7\",\"country\":\"NL\","
                + "\"method\":\"GET\",\"host\":\"plex.example.com\",\"path\":\"/a?b=\\\"c\\\"\",\"user_agent\":\"UA\","
                + "\"rule\":\"Restrict IPs\",\"action\":\"block\",\"status\":403}";

        assertThat(EventLine.parse(text)).contains(new EventLine(Instant.parse("2026-11-26T18:00:00.123Z"),
                "203.0.113.7", "NL", "GET", "plex.example.com", "/a?b=\"c\"", "Restrict IPs", "block", 403, text));
    }

    @Test
    void parse_unknownAndNestedFieldsIgnored_missingOnesEmpty() {
        String text = "{\"time\":\"2026-11-26T18:00:00Z\",\"action\":\"log\",\"extra\":{\"a\":[1,2]},\"more\":[{}]}";

        assertThat(EventLine.parse(text)).contains(new EventLine(Instant.parse("2026-11-26T18:00:00Z"),
                "", "", "", "", "", "", "log", 0, text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "not json",
        "[1,2]",
        "\"text\"",
        "{\"action\":\"block\"}",
        "{\"time\":\"2026-11-26T18:00:00Z\"}",
        "{\"time\":\"yesterday\",\"action\":\"block\"}",
        "{\"time\":\"2026-11-26T18:00:00Z\",\"action\":\"block\"} trailing",
        "{\"time\":\"2026-11-26T18:00:00Z\",\"action\":\"block\"",
        "{\"time\":\"2026-11-26T18:00:00Z\",\"action\":\"block\",\"status\":\"x\"}x"})
    void parse_notAnEvent_empty(String text) {
        assertThat(EventLine.parse(text)).isEmpty();
    }
}
