package dev.plexgate.proxy.policy;

import java.net.InetAddress;

/** A set of addresses a rule can test with {@code ip.src in $name}. Thread-safe; never blocks. */
public interface IpMatcher {

    /** True when {@code address} (normalised: IPv4-mapped IPv6 already folded) is in the set. */
    boolean contains(InetAddress address);
}
