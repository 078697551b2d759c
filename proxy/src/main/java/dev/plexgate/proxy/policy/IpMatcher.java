package dev.plexgate.proxy.policy;

import java.net.InetAddress;

/** A set of addresses a rule can test with {@code ip.src in $name}. Thread-safe; never blocks. */
public interface IpMatcher {

    /** True when {@code address} (normalised: IPv4-mapped IPv6 already folded) is in the set. */
    boolean contains(InetAddress address);

    /**
     * The same test for the {@code getAddress()} bytes of a normalised address (4 or 16). The
     * rules engine holds them once per request; a matcher that works on bytes skips a copy.
     */
    default boolean contains(byte[] normalisedAddress) {
        try {
            return contains(InetAddress.getByAddress(normalisedAddress));
        } catch (java.net.UnknownHostException e) {
            return false; // not 4 or 16 bytes: no address at all
        }
    }
}
