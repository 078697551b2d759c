package dev.plexgate.proxy.policy.lists;

import dev.plexgate.proxy.policy.Cidr;
import java.util.Locale;
import java.util.Objects;

/** One line of an IP list: what it covers, and the optional name that labels its traffic. */
public sealed interface IpListEntry permits IpListEntry.Network, IpListEntry.Host {

    /** The name written after the entry ({@code bob}), or null when the line has none. */
    String name();

    /** 1-based line in the list file. */
    int line();

    /** An address ({@code /32} or {@code /128}) or a CIDR. */
    record Network(Cidr cidr, String name, int line) implements IpListEntry {

        public Network {
            Objects.requireNonNull(cidr, "cidr");
        }
    }

    /** A host name (dynamic DNS) whose current addresses are in the list. */
    record Host(String hostName, String name, int line) implements IpListEntry {

        public Host {
            Objects.requireNonNull(hostName, "hostName");
        }

        /** The form two spellings of the same name share: lower case, no trailing dot. */
        String canonicalName() {
            String lower = hostName.toLowerCase(Locale.ROOT);
            return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
        }
    }
}
