package dev.plexgate.agent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the agent runs: cloudflared, with which token, and the flags plexgate models. Every value is
 * checked here, because cloudflared takes some bad input with exit code 0 and no word (an option
 * after {@code run}, a grace period without a unit; DESIGN §6). Messages end with
 * {@code (expected: …)} and never quote a value that may be a secret.
 *
 * @param enabled     whether plexgate runs cloudflared at all
 * @param cloudflared the binary; null only when not enabled
 * @param token       the tunnel token; null only when not enabled. Its {@code toString} is redacted,
 *                    so this record's is safe to log
 * @param metrics     cloudflared's metrics listener, where {@code /ready} is polled; an IP address
 * @param protocol    {@code --protocol}; {@link TunnelProtocol#AUTO} leaves the flag out
 * @param gracePeriod {@code --grace-period}: how long cloudflared lets requests in flight finish on
 *                    SIGTERM; plexgate waits that long plus a margin before it kills it
 * @param extraArgs   further options of {@code tunnel}, each {@code --name} or {@code --name=value},
 *                    placed before {@code run}
 */
public record TunnelSettings(boolean enabled, Path cloudflared, TunnelToken token, InetSocketAddress metrics,
        TunnelProtocol protocol, Duration gracePeriod, List<String> extraArgs) {

    /** cloudflared's own default grace period. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(30);
    /** Beyond this a stop or a restart would keep the tunnel down too long. */
    public static final Duration MAX_GRACE_PERIOD = Duration.ofMinutes(10);
    /** Next to cloudflared's own metrics port range (20241 to 20245), fixed so it can be polled. */
    public static final InetSocketAddress DEFAULT_METRICS =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 20241);
    /** A fresh install has no token yet. */
    public static final TunnelSettings DISABLED = new TunnelSettings(false, null, null, DEFAULT_METRICS,
            TunnelProtocol.AUTO, DEFAULT_GRACE_PERIOD, List.of());

    private static final Pattern OPTION = Pattern.compile("--([a-z0-9][a-z0-9-]*)(=\\P{Cntrl}*)?");
    /** Options that would put a secret where any local user can read it: {@code /proc/<pid>/cmdline}. */
    private static final Set<String> SECRET_OPTIONS =
            Set.of("token", "token-file", "credentials-file", "credentials-contents", "cred-file", "origincert");
    /** Options plexgate sets itself, from the keys of the tunnel section. */
    private static final Set<String> MODELED_OPTIONS =
            Set.of("metrics", "protocol", "grace-period", "no-autoupdate", "autoupdate-freq");
    /** Options that make cloudflared print something and exit 0 instead of running. */
    private static final Set<String> NON_RUNNING_OPTIONS = Set.of("help", "version");

    public TunnelSettings {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        extraArgs = List.copyOf(extraArgs);
        if (enabled) {
            Objects.requireNonNull(cloudflared, "cloudflared");
            Objects.requireNonNull(token, "token");
        }
        if (metrics.isUnresolved() || metrics.getPort() == 0) {
            throw new IllegalArgumentException("metrics address " + metrics
                    + " (expected: an IP address and a port from 1 to 65535, such as 127.0.0.1:20241)");
        }
        if (gracePeriod.isNegative() || gracePeriod.compareTo(MAX_GRACE_PERIOD) > 0
                || gracePeriod.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("grace period " + gracePeriod
                    + " (expected: whole milliseconds from 0s to 10m)");
        }
        for (String argument : extraArgs) {
            checkExtraArgument(argument);
        }
    }

    /**
     * Checks one item of {@code extraArgs}.
     *
     * @throws IllegalArgumentException saying why it is refused; the message never quotes the
     *                                  argument, whose value may be a secret
     */
    public static void checkExtraArgument(String argument) {
        var option = OPTION.matcher(argument);
        if (!option.matches()) {
            throw new IllegalArgumentException("is not an option (expected: --name or --name=value, lowercase"
                    + " name; cloudflared takes anything else as a command, or ignores it and exits 0)");
        }
        String name = option.group(1);
        if (SECRET_OPTIONS.contains(name)) {
            throw new IllegalArgumentException("would put a secret on the command line, which every local user"
                    + " can read (expected: tunnel.token_file or tunnel.token_env)");
        }
        if (MODELED_OPTIONS.contains(name)) {
            throw new IllegalArgumentException("is set by plexgate (expected: the tunnel section's own key"
                    + " for it: metrics, protocol or grace_period)");
        }
        if (NON_RUNNING_OPTIONS.contains(name)) {
            throw new IllegalArgumentException("makes cloudflared exit instead of running the tunnel"
                    + " (expected: an option of cloudflared tunnel)");
        }
    }

    /**
     * The command line: {@code cloudflared tunnel --no-autoupdate --metrics ADDR [--protocol P]
     * --grace-period D [extra args] run}. Options of {@code tunnel} must come before {@code run};
     * the token is not on it, it goes in the environment.
     */
    public List<String> command() {
        if (!enabled) {
            throw new IllegalStateException("the tunnel is not enabled");
        }
        List<String> command = new ArrayList<>(List.of(cloudflared.toString(), "tunnel", "--no-autoupdate",
                "--metrics", metricsAddress()));
        if (protocol != TunnelProtocol.AUTO) {
            command.addAll(List.of("--protocol", protocol.flagValue()));
        }
        command.addAll(List.of("--grace-period", goDuration(gracePeriod)));
        command.addAll(extraArgs);
        command.add("run");
        return command;
    }

    /** {@code 127.0.0.1:20241} or {@code [::1]:20241}, as cloudflared's flag and URLs take it. */
    public String metricsAddress() {
        String host = metrics.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + metrics.getPort();
    }

    /** As Go's {@code time.ParseDuration} reads it: {@code 30s}, {@code 1500ms}; Go has no days. */
    static String goDuration(Duration duration) {
        return duration.toMillisPart() == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
