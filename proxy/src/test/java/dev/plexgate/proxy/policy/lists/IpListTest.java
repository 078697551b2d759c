package dev.plexgate.proxy.policy.lists;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.policy.IpLiterals;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class IpListTest {

    private static final Path FILE = Path.of("allow.list");

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "10.1.2.3, true, bob",            // the narrowest named entry wins
            "10.1.2.4, true, office",         // an unnamed /16 inherits the name of the /8 around it
            "10.200.0.1, true, office",
            "11.0.0.1, false, null",
            "198.51.100.77, true, late",      // equal entries: the first named one names the traffic
            "192.0.2.1, true, first",
            "203.0.113.0, true, null",        // covered by an unnamed entry only
            "203.0.113.255, true, null",
            "203.0.114.0, false, null",
            "255.255.255.255, true, top",
            "0.0.0.0, true, bottom",
            "2001:db8::1, true, v6net",
            "2001:db8:1::5, true, v6host",
            "2001:db9::, false, null",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true, v6top",
            "::, false, null",
    })
    void containsAndNameFor_followTheNarrowestNamedEntry(String address, boolean contained, String name)
            throws ListException {
        IpList list = IpList.withoutResolving(IpListFile.parse(FILE, """
                10.0.0.0/8 office
                10.1.0.0/16
                10.1.2.3 bob
                198.51.100.0/24
                198.51.100.0/24 late
                198.51.100.0/24 later
                192.0.2.1 first
                192.0.2.1 second
                203.0.113.0/24
                255.255.255.255 top
                0.0.0.0/32 bottom
                2001:db8::/32 v6net
                2001:db8:1::5 v6host
                ffff::/16 v6top
                """));

        assertThat(list.contains(IpLiterals.parse(address))).isEqualTo(contained);
        assertThat(list.nameFor(IpLiterals.parse(address))).isEqualTo(name);
    }

    @Test
    void families_doNotCoverEachOther() throws ListException {
        IpList v6Everything = IpList.withoutResolving(IpListFile.parse(FILE, "::/0 all6"));
        IpList v4Everything = IpList.withoutResolving(IpListFile.parse(FILE, "0.0.0.0/0 all4"));

        assertThat(v6Everything.contains(IpLiterals.parse("192.0.2.1"))).isFalse();
        assertThat(v6Everything.contains(IpLiterals.parse("2001:db8::1"))).isTrue();
        assertThat(v4Everything.contains(IpLiterals.parse("2001:db8::1"))).isFalse();
        assertThat(v4Everything.nameFor(IpLiterals.parse("203.0.113.9"))).isEqualTo("all4");
    }

    @Test
    void ipv4MappedIpv6_matchesTheIpv4Entry_evenWhenTheCallerForgotToNormalise() throws Exception {
        IpList list = IpList.withoutResolving(IpListFile.parse(FILE, "192.0.2.0/24 bob"));
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 192, 0, 2, 7};
        InetAddress unnormalised = Inet6Address.getByAddress(null, mapped, -1);

        assertThat(unnormalised).isInstanceOf(Inet6Address.class);
        assertThat(list.contains(unnormalised)).isTrue();
        assertThat(list.nameFor(unnormalised)).isEqualTo("bob");
        assertThat(list.contains(IpLiterals.parse("::ffff:192.0.3.7"))).isFalse();
    }

    @Test
    void emptyList_containsNothing() throws ListException {
        IpList list = IpList.withoutResolving(IpListFile.parse(FILE, "# nobody yet\n"));

        assertThat(list.contains(IpLiterals.parse("203.0.113.7"))).isFalse();
        assertThat(list.contains(IpLiterals.parse("2001:db8::1"))).isFalse();
        assertThat(list.hosts()).isEmpty();
    }

    @Test
    void hostEntries_withoutResolving_matchNothing() throws ListException {
        IpList list = IpList.withoutResolving(IpListFile.parse(FILE, "localhost me\n"));

        assertThat(list.contains(IpLiterals.parse("127.0.0.1"))).isFalse();
        assertThat(list.hosts()).singleElement().satisfies(host -> assertThat(host.attempted()).isFalse());
    }

    /** The range table against a linear scan over every entry, on random overlapping lists. */
    @Test
    void lookups_agreeWithALinearScan_ipv4() throws Exception {
        Random random = new Random(20_260_702L);
        for (int round = 0; round < 20; round++) {
            checkAgainstLinearScan(random, 4, 300);
        }
    }

    @Test
    void lookups_agreeWithALinearScan_ipv6() throws Exception {
        Random random = new Random(31_415_926L);
        for (int round = 0; round < 20; round++) {
            checkAgainstLinearScan(random, 16, 300);
        }
    }

    private static void checkAgainstLinearScan(Random random, int length, int entries) throws Exception {
        List<Cidr> cidrs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < entries; i++) {
            byte[] bytes = clustered(random, length);
            int prefix = length * 8 - random.nextInt(length == 4 ? 25 : 97);
            Cidr cidr = new Cidr(InetAddress.getByAddress(mask(bytes, prefix)), prefix);
            String name = random.nextInt(3) == 0 ? null : "n" + random.nextInt(12);
            cidrs.add(cidr);
            names.add(name);
            text.append(cidr).append(name == null ? "" : " " + name).append('\n');
        }
        IpList list = IpList.withoutResolving(IpListFile.parse(FILE, text.toString()));

        for (int probe = 0; probe < 3_000; probe++) {
            byte[] bytes = probe % 2 == 0 ? clustered(random, length) : randomBytes(random, length);
            InetAddress address = InetAddress.getByAddress(bytes);
            boolean expectedContained = false;
            String expectedName = null;
            int narrowest = -1;
            for (int i = 0; i < cidrs.size(); i++) {
                if (cidrs.get(i).contains(address)) {
                    expectedContained = true;
                    if (names.get(i) != null && cidrs.get(i).prefixLength() > narrowest) {
                        narrowest = cidrs.get(i).prefixLength();
                        expectedName = names.get(i);
                    }
                }
            }
            assertThat(list.contains(address)).as("contains %s", address).isEqualTo(expectedContained);
            assertThat(list.nameFor(address)).as("nameFor %s", address).isEqualTo(expectedName);
        }
    }

    /** Addresses drawn from a few small regions, so that entries nest and overlap often. */
    private static byte[] clustered(Random random, int length) {
        byte[] bytes = randomBytes(random, length);
        if (length == 4) {
            bytes[0] = (byte) (10 + random.nextInt(2));
            bytes[1] = (byte) random.nextInt(4);
        } else {
            bytes[0] = 0x20;
            bytes[1] = 0x01;
            bytes[2] = 0x0d;
            bytes[3] = (byte) 0xb8;
            bytes[4] = (byte) random.nextInt(2);
            for (int i = 5; i < 14; i++) {
                bytes[i] = (byte) random.nextInt(2);
            }
        }
        return bytes;
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        if (length == 16 && bytes[0] == 0) {
            bytes[0] = 1; // keep clear of ::ffff:0:0/96, which the JDK turns into IPv4
        }
        return bytes;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }
}
