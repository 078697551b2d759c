package dev.plexgate.control.config;

import dev.plexgate.agent.TunnelSettings;
import dev.plexgate.proxy.ProxySettings;
import dev.plexgate.proxy.events.EventLogSettings;
import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A loaded and validated {@code plexgate.yml}.
 *
 * @param proxy  what the proxy needs to run
 * @param events where security events are written, with relative paths already resolved
 * @param policy lists, rules, rate limits and Bot Fight Mode as written; {@link PolicyLoader} builds the policy
 * @param tunnel the supervised cloudflared, with its token already read and checked when enabled
 * @param admin  the admin listener: metrics, status, readiness and reload
 * @param warnings what the file allows but probably should not (the policy's own come with it)
 */
public record PlexgateConfig(ProxySettings proxy, EventLogSettings events, PolicyConfig policy,
        TunnelSettings tunnel, AdminSettings admin, List<ConfigProblem> warnings) {

    /** Where cloudflared's service URL points: never Plex's own port. */
    public static final InetSocketAddress DEFAULT_LISTEN = new InetSocketAddress(IpLiterals.parse("127.0.0.1"), 32401);

    /** Plex on the same machine. */
    public static final UpstreamAddress DEFAULT_UPSTREAM = new UpstreamAddress("127.0.0.1", 32400);

    public PlexgateConfig {
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(tunnel, "tunnel");
        Objects.requireNonNull(admin, "admin");
        warnings = List.copyOf(warnings);
    }

    /** Without warnings. */
    public PlexgateConfig(ProxySettings proxy, EventLogSettings events, PolicyConfig policy, TunnelSettings tunnel,
            AdminSettings admin) {
        this(proxy, events, policy, tunnel, admin, List.of());
    }

    /** No policy: every request is allowed; no tunnel; the admin listener at its default. */
    public PlexgateConfig(ProxySettings proxy, EventLogSettings events) {
        this(proxy, events, PolicyConfig.NONE, TunnelSettings.DISABLED, AdminSettings.DEFAULTS);
    }

    /** Every section but the proxy's at its default. */
    public PlexgateConfig(ProxySettings proxy) {
        this(proxy, EventLogSettings.DEFAULTS);
    }

    /** What an empty {@code plexgate.yml} means: no lists and no rules, so nothing is blocked. */
    public static PlexgateConfig defaults() {
        return new PlexgateConfig(ProxySettings.defaults(DEFAULT_LISTEN, DEFAULT_UPSTREAM));
    }
}
