package dev.plexgate.control.export;

import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.policy.lists.HostState;
import dev.plexgate.proxy.policy.lists.IpList;
import dev.plexgate.proxy.policy.lists.IpListEntry;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns a plexgate IP list into Cloudflare list items. Cloudflare lists hold IPv4 prefixes from /8 to /32
 * and IPv6 prefixes from /12 to /64, and no host names; every entry outside that is rewritten to the nearest
 * thing a list can hold, with a warning that says how the edge will differ.
 */
final class ListItems {

    static final int MIN_IPV4_PREFIX = 8;
    static final int MIN_IPV6_PREFIX = 12;
    static final int MAX_IPV6_PREFIX = 64;

    private ListItems() {
    }

    /** The list's items in file order; each rewrite is reported to {@code warnings}. */
    static EdgeList of(String name, IpList list, Consumer<String> warnings) {
        Map<String, ListItem> items = new LinkedHashMap<>();
        String where = list.file().file().getFileName().toString();
        for (IpListEntry entry : list.file().entries()) {
            String at = "list $" + name + " (" + where + ":" + entry.line() + "): ";
            List<Cidr> cidrs = entry instanceof IpListEntry.Network network
                    ? fit(network.cidr(), at, warnings)
                    : hostAddresses((IpListEntry.Host) entry, list, at, warnings);
            for (Cidr cidr : cidrs) {
                String ip = text(cidr);
                items.putIfAbsent(ip, new ListItem(ip, entry.name()));
            }
        }
        return new EdgeList(name, "plexgate: " + where, List.copyOf(items.values()));
    }

    /** A host name's current addresses: the edge cannot follow the name, so the items go stale when it moves. */
    private static List<Cidr> hostAddresses(IpListEntry.Host host, IpList list, String at, Consumer<String> warnings) {
        List<InetAddress> addresses = list.hosts().stream()
                .filter(state -> state.entry().line() == host.line())
                .findFirst()
                .map(HostState::addresses)
                .orElse(List.of());
        if (addresses.isEmpty()) {
            warnings.accept(at + "host name " + host.hostName() + " does not resolve now: omitted, so the edge"
                    + " blocks what plexgate would admit once it resolves");
            return List.of();
        }
        List<String> current = addresses.stream().map(NetUtil::toAddressString).toList();
        warnings.accept(at + "host name " + host.hostName() + " exported as its current address"
                + (current.size() == 1 ? " " : "es ") + String.join(", ", current)
                + ": Cloudflare lists cannot hold host names; export again when it changes");
        List<Cidr> cidrs = new ArrayList<>();
        for (InetAddress address : addresses) {
            cidrs.addAll(fit(new Cidr(address, address.getAddress().length * 8), at, warnings));
        }
        return cidrs;
    }

    /** {@code cidr}, or the prefixes a Cloudflare list can hold in its place. */
    private static List<Cidr> fit(Cidr cidr, String at, Consumer<String> warnings) {
        boolean ipv4 = cidr.network().getAddress().length == 4;
        int prefix = cidr.prefixLength();
        if (ipv4 && prefix < MIN_IPV4_PREFIX || !ipv4 && prefix < MIN_IPV6_PREFIX) {
            int to = ipv4 ? MIN_IPV4_PREFIX : MIN_IPV6_PREFIX;
            List<Cidr> parts = split(cidr, to);
            warnings.accept(at + text(cidr) + " is wider than a Cloudflare list holds (/" + to + "): exported as its "
                    + parts.size() + " /" + to + " networks, which cover the same addresses");
            return parts;
        }
        if (!ipv4 && prefix > MAX_IPV6_PREFIX) {
            Cidr widened = widen(cidr, MAX_IPV6_PREFIX);
            warnings.accept(at + text(cidr) + " is narrower than a Cloudflare list holds (IPv6 /" + MAX_IPV6_PREFIX
                    + " at most): exported as " + text(widened) + ", so the edge admits that whole network");
            return List.of(widened);
        }
        return List.of(cidr);
    }

    private static Cidr widen(Cidr cidr, int prefix) {
        byte[] bytes = cidr.network().getAddress();
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return new Cidr(address(bytes), prefix);
    }

    /** The {@code /to} networks that make up {@code cidr}: at most 2^12. */
    private static List<Cidr> split(Cidr cidr, int to) {
        int count = 1 << (to - cidr.prefixLength());
        List<Cidr> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] bytes = cidr.network().getAddress();
            // The part's number fills the bits between the two prefix lengths, most significant first.
            for (int bit = cidr.prefixLength(); bit < to; bit++) {
                if ((i >>> (to - 1 - bit) & 1) == 1) {
                    bytes[bit / 8] |= (byte) (0x80 >>> (bit % 8));
                }
            }
            parts.add(new Cidr(address(bytes), to));
        }
        return parts;
    }

    /** As Cloudflare writes it: a single address without a prefix, IPv6 compressed (RFC 5952). */
    static String text(Cidr cidr) {
        String address = NetUtil.toAddressString(cidr.network());
        int full = cidr.network().getAddress().length * 8;
        return cidr.prefixLength() == full ? address : address + "/" + cidr.prefixLength();
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
