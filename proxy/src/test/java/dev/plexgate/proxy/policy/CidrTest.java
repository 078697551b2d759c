package dev.plexgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "192.0.2.0/24, 192.0.2.0, true",
            "192.0.2.0/24, 192.0.2.255, true",
            "192.0.2.0/24, 192.0.3.0, false",
            "10.0.0.0/8, 10.255.1.2, true",
            "0.0.0.0/0, 203.0.113.7, true",
            "0.0.0.0/0, 2001:db8::1, false",
            "127.0.0.1, 127.0.0.1, true",
            "127.0.0.1, 127.0.0.2, false",
            "172.16.0.0/12, 172.31.255.255, true",
            "172.16.0.0/12, 172.32.0.0, false",
            "2001:db8::/32, 2001:db8:ffff::1, true",
            "2001:db8::/32, 2001:db9::1, false",
            "::1/128, ::1, true",
            "::/0, 192.0.2.1, false",
            "203.0.113.0/25, ::ffff:203.0.113.7, true",
    })
    void contains_matchesOnlyTheSameFamilyAndPrefix(String cidr, String address, boolean expected) {
        assertThat(Cidr.parse(cidr).contains(IpLiterals.parse(address))).isEqualTo(expected);
    }

    @Test
    void parse_hostBitsSet_namesTheNetworkMeant() {
        assertThatThrownBy(() -> Cidr.parse("127.0.0.1/8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host bits are set in 127.0.0.1/8 (expected: 127.0.0.0/8)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.0/33", "2001:db8::/129", "192.0.2.0/", "192.0.2.0/08", "192.0.2.0/x",
            "example.com/24", "192.0.2/24", ""})
    void parse_malformed_isRefused(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toString_isCanonical() {
        assertThat(Cidr.parse("2001:DB8:0::/32")).hasToString("2001:db8:0:0:0:0:0:0/32");
        assertThat(Cidr.parse("198.51.100.9")).hasToString("198.51.100.9/32");
    }
}
