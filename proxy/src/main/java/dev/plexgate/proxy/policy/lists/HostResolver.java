package dev.plexgate.proxy.policy.lists;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/** Turns a host-name entry into its current addresses; a seam so tests need no DNS. */
@FunctionalInterface
public interface HostResolver {

    /**
     * The addresses {@code hostName} has now. Called on a background thread only, never on the request path.
     *
     * @throws IOException when the name does not resolve (an {@link java.net.UnknownHostException} for the system)
     */
    List<InetAddress> resolve(String hostName) throws IOException;

    /** The operating system's resolver ({@code /etc/hosts}, then DNS), through the JDK's address cache. */
    static HostResolver system() {
        return hostName -> List.of(InetAddress.getAllByName(hostName));
    }
}
