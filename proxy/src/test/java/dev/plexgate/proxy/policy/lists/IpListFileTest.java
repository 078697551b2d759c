package dev.plexgate.proxy.policy.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plexgate.proxy.policy.Cidr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class IpListFileTest {

    private static final Path FILE = Path.of("allow.list");

    @Test
    void parse_everyLineForm() throws ListException {
        IpListFile file = IpListFile.parse(FILE, """
                # friends of the house

                203.0.113.7  bob  # his home
                198.51.100.0/24\toffice
                2001:db8:42::/48 alice#no blank needed before a comment here
                2001:db8:7::15
                carol.dyndns.example.net carol
                ::ffff:192.0.2.9 mapped
                   nas.example.   # trailing dot, no name
                """);

        assertThat(file.entries()).containsExactly(
                new IpListEntry.Network(Cidr.parse("203.0.113.7/32"), "bob", 3),
                new IpListEntry.Network(Cidr.parse("198.51.100.0/24"), "office", 4),
                new IpListEntry.Network(Cidr.parse("2001:db8:42::/48"), "alice", 5),
                new IpListEntry.Network(Cidr.parse("2001:db8:7::15/128"), null, 6),
                new IpListEntry.Host("carol.dyndns.example.net", "carol", 7),
                new IpListEntry.Network(Cidr.parse("192.0.2.9/32"), "mapped", 8),
                new IpListEntry.Host("nas.example.", null, 9));
        assertThat(file.hosts()).extracting(IpListEntry.Host::hostName)
                .containsExactly("carol.dyndns.example.net", "nas.example.");
        assertThat(file.warnings()).isEmpty();
    }

    @Test
    void parse_emptyText_isAnEmptyList() throws ListException {
        assertThat(IpListFile.parse(FILE, "").entries()).isEmpty();
        assertThat(IpListFile.parse(FILE, "# only comments\n\n   \n").entries()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "10.0.0.1/8 x          | allow.list:1:1: host bits are set in 10.0.0.1/8 (expected: 10.0.0.0/8)",
            "\"  192.0.2.300\"       | allow.list:1:3: '192.0.2.300' is not an IP address (expected: an IPv4 address"
                    + " such as 192.0.2.1 or an IPv6 address such as 2001:db8::1)",
            "010.0.0.1             | allow.list:1:1: '010.0.0.1' is not an IP address (expected: an IPv4 address"
                    + " such as 192.0.2.1 or an IPv6 address such as 2001:db8::1)",
            "[2001:db8::1]         | allow.list:1:1: '[2001:db8::1]' is not an IP address (expected: an IPv4"
                    + " address such as 192.0.2.1 or an IPv6 address such as 2001:db8::1)",
            "2001:db8::/129        | allow.list:1:1: prefix length 129 out of range (expected: 0 to 128)",
            "192.0.2.0/            | allow.list:1:1: invalid prefix length '' (expected: 0 to 32)",
            "bad_host.example      | allow.list:1:1: 'bad_host.example' is not an address, CIDR or host name"
                    + " (expected: an IPv4 or IPv6 address, a CIDR such as 192.0.2.0/24, or a host name of letters,"
                    + " digits, '-' and '.')",
            "-x.example.net        | allow.list:1:1: label '-x' of host name '-x.example.net' starts or ends with"
                    + " '-' (expected: letters or digits at both ends)",
            "a..b                  | allow.list:1:1: host name 'a..b' has an empty label (expected: labels"
                    + " separated by single dots)",
            "host.123              | allow.list:1:1: host name 'host.123' ends in an all-digit label (expected: a"
                    + " top-level name such as 'net')",
            "203.0.113.8 bob's     | allow.list:1:13: invalid name 'bob's' (expected: up to 64 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit)",
            "203.0.113.8 _bob      | allow.list:1:13: invalid name '_bob' (expected: up to 64 letters, digits,"
                    + " '.', '_' or '-', starting with a letter or digit)",
            "203.0.113.9 bob extra | allow.list:1:17: unexpected 'extra' after the name (expected: a '# comment' or"
                    + " the end of the line)",
    })
    void parse_badLine_saysWhereAndWhatWasExpected(String line, String expected) {
        assertThatThrownBy(() -> IpListFile.parse(FILE, line))
                .isInstanceOfSatisfying(ListException.class, e -> assertThat(e.problems())
                        .singleElement().hasToString(expected));
    }

    @Test
    void parse_longLabelAndLongName_areRefused() {
        String label = "a".repeat(64);
        assertThatThrownBy(() -> IpListFile.parse(FILE, label + ".example"))
                .hasMessage("allow.list:1:1: label '" + label + "' of host name '" + label
                        + ".example' is longer than 63 characters");
        String longest = "b".repeat(64);
        assertThatThrownBy(() -> IpListFile.parse(FILE, "192.0.2.1 " + longest + "c"))
                .hasMessageStartingWith("allow.list:1:11: invalid name '" + longest + "c'");
    }

    @Test
    void parse_reportsEveryBadLineInOrder() {
        assertThatThrownBy(() -> IpListFile.parse(FILE, "192.0.2.1 ok\n10.0.0.1/8\n\n203.0.113.1 a b\n"))
                .isInstanceOfSatisfying(ListException.class, e -> assertThat(e.problems())
                        .extracting(ListProblem::line, ListProblem::column)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 1),
                                org.assertj.core.groups.Tuple.tuple(4, 15)))
                .hasMessage("""
                        allow.list:2:1: host bits are set in 10.0.0.1/8 (expected: 10.0.0.0/8)
                        allow.list:4:15: unexpected 'b' after the name (expected: a '# comment' or the end of the\
                         line)""");
    }

    @Test
    void parse_duplicates_areWarningsNotErrors() throws ListException {
        IpListFile file = IpListFile.parse(FILE, """
                203.0.113.7 bob
                carol.dyndns.example.net carol
                  203.0.113.7/32 other
                Carol.DynDNS.example.net. carol
                """);

        assertThat(file.entries()).hasSize(4);
        assertThat(file.warnings()).map(ListProblem::toString).containsExactly(
                "allow.list:3:3: '203.0.113.7/32' duplicates line 1 (the first one's name labels its traffic)",
                "allow.list:4:1: 'Carol.DynDNS.example.net.' duplicates line 2 (the first one's name labels its"
                        + " traffic)");
    }

    @Test
    void read_fromAFile_withCrLfAndByteOrderMark(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("allow.list");
        Files.writeString(path, "\uFEFF# friends\r\n203.0.113.7 bob\r\n\r\n10.0.0.1/8\r\n");

        assertThatThrownBy(() -> IpListFile.read(path)).hasMessage(path
                + ":4:1: host bits are set in 10.0.0.1/8 (expected: 10.0.0.0/8)");

        Files.writeString(path, "\uFEFF203.0.113.7 bob\r\n198.51.100.0/24\r");
        assertThat(IpListFile.read(path).entries()).extracting(IpListEntry::line).containsExactly(1, 2);
    }

    @Test
    void read_missingOrUnreadableFile_isAProblemOfTheWholeFile(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.list");
        assertThatThrownBy(() -> IpListFile.read(missing)).hasMessage(missing + ": no such file");

        Path latin1 = dir.resolve("latin1.list");
        Files.write(latin1, "192.0.2.1 caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> IpListFile.read(latin1)).hasMessage(latin1 + ": not UTF-8 text");
    }
}
