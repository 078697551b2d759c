package dev.plexgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class IpLiteralsTest {

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "0x7f.0.0.1", "1.2.3.4 ", " 1.2.3.4",
            "localhost", "example.com", "[::1]", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "", "1..2.3", "::g"})
    void tryParse_notAStrictLiteral_isNull(String text) {
        assertThat(IpLiterals.tryParse(text)).isNull();
    }

    @Test
    void parse_ipv4MappedIpv6_isFoldedToIpv4() {
        assertThat(IpLiterals.parse("::ffff:203.0.113.7"))
                .isInstanceOf(Inet4Address.class)
                .isEqualTo(IpLiterals.parse("203.0.113.7"));
    }

    @Test
    void parse_ipv6TextForms_areOneValue() {
        assertThat(IpLiterals.parse("2001:0DB8:0:0:0:0:0:1")).isEqualTo(IpLiterals.parse("2001:db8::1"));
    }

    @Test
    void parse_garbage_saysWhatWasExpected() {
        assertThatThrownBy(() -> IpLiterals.parse("plex.example.com"))
                .hasMessage("'plex.example.com' is not an IP address (expected: an IPv4 address such as 192.0.2.1"
                        + " or an IPv6 address such as 2001:db8::1)");
    }
}
