package dev.plexgate.control.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class SubjectNamesTest {

    @Test
    void parse_namesAndAddresses_keepsTheirOrder_lowerCasesNames_countsRepeatsOnce() throws Exception {
        SubjectNames names = SubjectNames.parse(List.of("PlexBox.LAN", "plex", "plexbox.lan"),
                List.of("192.168.1.10", "2001:DB8:0::10", "192.168.1.10"));

        assertThat(names.hosts()).containsExactly("plexbox.lan", "plex");
        assertThat(names.addresses()).containsExactly(InetAddress.getByName("192.168.1.10"),
                InetAddress.getByName("2001:db8::10"));
        assertThat(names.describe()).isEqualTo("DNS:plexbox.lan, DNS:plex, IP:192.168.1.10, IP:2001:db8::10");
    }

    @Test
    void primary_isTheFirstName_elseTheFirstAddress() throws Exception {
        assertThat(SubjectNames.parse(List.of("plexbox.lan"), List.of("192.168.1.10")).primary()).isEqualTo("plexbox.lan");
        assertThat(SubjectNames.parse(List.of(), List.of("2001:db8::10", "192.168.1.10")).primary())
                .isEqualTo("2001:db8::10");
    }

    @Test
    void parse_nothing_isRefusedAsInvalid() {
        assertThatThrownBy(() -> SubjectNames.parse(List.of(), List.of()))
                .isInstanceOfSatisfying(TlsRefusal.class, refusal -> assertThat(refusal.exitCode()).isEqualTo(2))
                .hasMessage("no name to put in the certificate: give the names cloudflared connects to,"
                        + " --name HOST and/or --ip ADDRESS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plex box.lan", "-plex.lan", "plex-.lan", "plex..lan", "plex.lan.", "*.plex.lan",
        "plex_box.lan", "", "pléx.lan"})
    void parse_badHostName_namesItAndSaysWhatIsExpected(String name) {
        assertThatThrownBy(() -> SubjectNames.parse(List.of(name), List.of()))
                .isInstanceOfSatisfying(TlsRefusal.class, refusal -> assertThat(refusal.exitCode()).isEqualTo(2))
                .hasMessage("--name '" + name + "': not a host name (expected: labels of letters, digits and inner"
                        + " '-', up to 63 characters each, separated by dots, such as plexbox.lan)");
    }

    @Test
    void parse_labelOf64Characters_isRefused_63IsAccepted() throws Exception {
        String label63 = "a".repeat(63);

        assertThat(SubjectNames.parse(List.of(label63 + ".lan"), List.of()).hosts()).containsExactly(label63 + ".lan");
        assertThatThrownBy(() -> SubjectNames.parse(List.of("a" + label63 + ".lan"), List.of()))
                .hasMessageStartingWith("--name 'a" + label63 + ".lan': not a host name");
    }

    @Test
    void parse_addressGivenAsName_pointsAtIp() {
        assertThatThrownBy(() -> SubjectNames.parse(List.of("192.168.1.10"), List.of()))
                .hasMessage("--name '192.168.1.10': an address, not a host name (expected: --ip 192.168.1.10)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.300", "192.168.1", "plexbox.lan", "2001:db8::10::1", "fe80::1%eth0", ""})
    void parse_badAddress_namesItAndSaysWhatIsExpected(String address) {
        assertThatThrownBy(() -> SubjectNames.parse(List.of(), List.of(address)))
                .isInstanceOfSatisfying(TlsRefusal.class, refusal -> assertThat(refusal.exitCode()).isEqualTo(2))
                .hasMessage("--ip '" + address + "': not an IP address (expected: an IPv4 or IPv6 address such as"
                        + " 192.168.1.10 or 2001:db8::10)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::"})
    void parse_wildcardAddress_isRefused(String address) {
        assertThatThrownBy(() -> SubjectNames.parse(List.of(), List.of(address)))
                .hasMessage("--ip '" + address + "': the wildcard address, which no client connects to (expected:"
                        + " an address of this machine that cloudflared connects to)");
    }
}
