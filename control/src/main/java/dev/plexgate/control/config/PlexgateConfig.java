package dev.plexgate.control.config;

import dev.plexgate.proxy.ProxySettings;
import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A loaded and validated {@code plexgate.yml}. Later sections of the file (tunnel, admin, events,
 * lists, rules) become further components next to the proxy's settings.
 *
 * @param proxy what the proxy needs to run
 */
public record PlexgateConfig(ProxySettings proxy) {

    /** Where cloudflared's service URL points: never Plex's own port. */
    public static final InetSocketAddress DEFAULT_LISTEN = new InetSocketAddress(IpLiterals.parse("127.0.0.1"), 32401);

    /** Plex on the same machine. */
    public static final UpstreamAddress DEFAULT_UPSTREAM = new UpstreamAddress("127.0.0.1", 32400);

    public PlexgateConfig {
        Objects.requireNonNull(proxy, "proxy");
    }

    /** What an empty {@code plexgate.yml} means. */
    public static PlexgateConfig defaults() {
        return new PlexgateConfig(ProxySettings.defaults(DEFAULT_LISTEN, DEFAULT_UPSTREAM));
    }
}
