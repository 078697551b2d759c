package dev.plexgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

final class PlexSecretsTest {

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("targets")
    void redactQuery_masksSecretValues_keepsTheRest(String target, String expected) {
        assertThat(PlexSecrets.redactQuery(target)).isEqualTo(expected);
    }

    static Stream<Arguments> targets() {
        return Stream.of(
                arguments("/?X-Plex-Token=abc&x=1", "/?X-Plex-Token=REDACTED&x=1"),
                arguments("/library/parts/1/file.mkv?offset=0&X-Plex-Token=abc-_123",
                        "/library/parts/1/file.mkv?offset=0&X-Plex-Token=REDACTED"),
                arguments("/:/websockets/notifications?x-plex-token=abc", "/:/websockets/notifications?x-plex-token=REDACTED"),
                arguments("/:/eventsource/notifications?filters=a&X-Plex-Device-Notification-Token=n0t1fy&b=2",
                        "/:/eventsource/notifications?filters=a&X-Plex-Device-Notification-Token=REDACTED&b=2"),
                arguments("/?X-PLEX-DEVICE-NOTIFICATION-TOKEN=n&X-Plex-Token=t",
                        "/?X-PLEX-DEVICE-NOTIFICATION-TOKEN=REDACTED&X-Plex-Token=REDACTED"),
                arguments("/?X-Plex-Token=one&X-Plex-Token=two", "/?X-Plex-Token=REDACTED&X-Plex-Token=REDACTED"),
                arguments("/?X%2dPlex%2DToken=abc&x=1", "/?X%2dPlex%2DToken=REDACTED&x=1"),
                arguments("/?X-Plex-Token=a=b=c&x=1", "/?X-Plex-Token=REDACTED&x=1"),
                arguments("/?X-Plex-Token=abc#X-Plex-Token", "/?X-Plex-Token=REDACTED#X-Plex-Token"),
                arguments("/?&&X-Plex-Token=abc&", "/?&&X-Plex-Token=REDACTED&"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/identity",
        "/X-Plex-Token=abc",
        "/?X-Plex-Token=",
        "/?X-Plex-Token",
        "/?X-Plex-Tokens=abc",
        "/?My-X-Plex-Token=abc",
        "/?X-Plex-Client-Identifier=1234",
        "/?X-Plex-Token%=abc",
        "/?",
        ""})
    void redactQuery_nothingSecret_returnsTheSameInstance(String target) {
        assertThat(PlexSecrets.redactQuery(target)).isSameAs(target);
    }

    @Test
    void redactQuery_null_isNull() {
        assertThat(PlexSecrets.redactQuery(null)).isNull();
    }
}
