package dev.plexgate.control.config;

import dev.plexgate.proxy.policy.IpLiterals;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;

/**
 * The admin listener: {@code /metrics}, {@code /status}, {@code /ready} and {@code /reload}.
 *
 * @param listen      where it listens; loopback unless {@code allowRemote}
 * @param allowRemote whether a non-loopback {@code listen} was asked for knowingly
 */
public record AdminSettings(InetSocketAddress listen, boolean allowRemote) {

    /** Next to the proxy's 32401 in spirit, away from Plex's and cloudflared's ports. */
    public static final AdminSettings DEFAULTS =
            new AdminSettings(new InetSocketAddress(IpLiterals.parse("127.0.0.1"), 9810), false);

    public AdminSettings {
        Objects.requireNonNull(listen, "listen");
    }

    /**
     * How a command on this machine reaches the listener, {@code http://127.0.0.1:9810}: through
     * loopback when it listens on every address.
     */
    public URI uri() {
        InetAddress address = listen.getAddress();
        if (address.isAnyLocalAddress()) {
            address = address.getAddress().length == 4 ? IpLiterals.parse("127.0.0.1") : IpLiterals.parse("::1");
        }
        return URI.create("http://" + Addresses.hostAndPort(new InetSocketAddress(address, listen.getPort())));
    }
}
