package dev.plexgate.proxy.policy.lists;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * Where a host-name entry stands now, for {@code plexgate allow list} and {@code plexgate check}.
 *
 * @param entry     the line it came from
 * @param addresses the addresses it matches: the last good answer, empty until the first one
 * @param failure   why the latest attempt failed, or null when it succeeded (or none has finished yet)
 */
public record HostState(IpListEntry.Host entry, List<InetAddress> addresses, String failure) {

    public HostState {
        Objects.requireNonNull(entry, "entry");
        addresses = List.copyOf(addresses);
    }

    /** True when at least one attempt has finished, successfully or not. */
    public boolean attempted() {
        return !addresses.isEmpty() || failure != null;
    }
}
