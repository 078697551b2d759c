package dev.plexgate.control.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

final class SecretsTest {

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("secrets")
    void redact_masksTheValue_keepsTheRest(String text, String expected) {
        assertThat(Secrets.redact(text)).isEqualTo(expected);
    }

    static Stream<Arguments> secrets() {
        return Stream.of(
                arguments("GET /library/sections?X-Plex-Token=abc123",
                        "GET /library/sections?X-Plex-Token=REDACTED"),
                arguments("GET /library/parts/1/file.mkv?X-Plex-Token=abc123&offset=0 HTTP/1.1",
                        "GET /library/parts/1/file.mkv?X-Plex-Token=REDACTED&offset=0 HTTP/1.1"),
                arguments("/:/websockets/notifications?x-plex-token=abc123",
                        "/:/websockets/notifications?x-plex-token=REDACTED"),
                arguments("/?X-PLEX-TOKEN=abc-_123 next",
                        "/?X-PLEX-TOKEN=REDACTED next"),
                arguments("url=\"/?X-Plex-Token=abc123\"",
                        "url=\"/?X-Plex-Token=REDACTED\""),
                arguments("/:/eventsource/notifications?X-Plex-Device-Notification-Token=n0t1fy&filters=a",
                        "/:/eventsource/notifications?X-Plex-Device-Notification-Token=REDACTED&filters=a"),
                arguments("X-Plex-Token: abc123",
                        "X-Plex-Token: REDACTED"),
                arguments("DefaultHttpHeaders[Host: plex.example.com, X-Plex-Token: abc123, Accept: */*]",
                        "DefaultHttpHeaders[Host: plex.example.com, X-Plex-Token: REDACTED, Accept: */*]"),
                arguments("{\"X-Plex-Token\":\"abc123\",\"path\":\"/\"}",
                        "{\"X-Plex-Token\":\"REDACTED\",\"path\":\"/\"}"),
                arguments("TUNNEL_TOKEN=eyJhIjoiMTIzIn0= cloudflared tunnel run",
                        "TUNNEL_TOKEN=REDACTED cloudflared tunnel run"),
                arguments("env TUNNEL_TOKEN='eyJhIjoi+/=' set",
                        "env TUNNEL_TOKEN='REDACTED' set"),
                arguments("a?X-Plex-Token=one&X-Plex-Token=two",
                        "a?X-Plex-Token=REDACTED&X-Plex-Token=REDACTED"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /identity HTTP/1.1",
        "X-Plex-Client-Identifier: 1234",
        "X-Plex-Token=",
        "plexgate listening on 127.0.0.1:32401"})
    void redact_nothingSecret_unchanged(String text) {
        assertThat(Secrets.redact(text)).isEqualTo(text);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void redact_nullOrEmpty_returnedAsIs(String text) {
        assertThat(Secrets.redact(text)).isEqualTo(text);
    }
}
