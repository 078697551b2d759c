package dev.plexgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "plexbox.lan", "PLEX.Example.com", "a-b.c1",
        "127-0-0-1.0123456789abcdef0123456789abcdef.plex.direct"})
    void hostNames(String name) {
        assertThat(HostNames.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plex lan", "plex_box.lan", "a..b", "-a.lan", "a-.lan", "host.123", "10.0.0.1",
        "plexbox.lan.", "a.lan:443"})
    void notHostNames(String text) {
        assertThat(HostNames.isValid(text)).isFalse();
    }

    @Test
    void trailingDot_onlyWhenFullyQualifiedNamesAreAllowed_andErrorsQuoteTheNameAsWritten() {
        HostNames.check("plexbox.example.", true);

        assertThatThrownBy(() -> HostNames.check("a..b.", true))
                .hasMessage("host name 'a..b.' has an empty label (expected: labels separated by single dots)");
        assertThatThrownBy(() -> HostNames.check("x".repeat(64) + ".lan", false))
                .hasMessageEndingWith("is longer than 63 characters");
    }
}
