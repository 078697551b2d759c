package dev.plexgate.control.config;

import dev.plexgate.proxy.policy.IpLiterals;
import java.net.InetSocketAddress;
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
}
