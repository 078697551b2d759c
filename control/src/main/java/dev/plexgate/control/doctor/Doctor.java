package dev.plexgate.control.doctor;

import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.ConfigLoader;
import dev.plexgate.control.config.ConfigProblem;
import dev.plexgate.control.config.LoadedPolicy;
import dev.plexgate.control.config.PlexgateConfig;
import dev.plexgate.control.config.PolicyLoader;
import dev.plexgate.proxy.policy.IpLiterals;
import dev.plexgate.proxy.policy.lists.HostRefresh;
import dev.plexgate.proxy.policy.lists.HostState;
import dev.plexgate.proxy.policy.lists.IpList;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import dev.plexgate.proxy.upstream.UpstreamGet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs every check in order and hands each finding to {@code report} as soon as it is known, so a
 * slow one (DNS, a service that does not answer) shows where it stands.
 */
public final class Doctor {

    private static final Pattern CHMOD = Pattern.compile("chmod 600 (\\S+)");

    private final DoctorEnvironment environment;
    private final Consumer<Finding> report;

    public Doctor(DoctorEnvironment environment, Consumer<Finding> report) {
        this.environment = environment;
        this.report = report;
    }

    /**
     * @param configFile    plexgate.yml
     * @param plexTokenFile a file holding a Plex token; null to look in Preferences.xml
     * @param strict        Plex's port reachable from other interfaces fails instead of warning
     */
    public void run(Path configFile, Path plexTokenFile, boolean strict) throws InterruptedException {
        PlexgateConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            // Nothing else can be checked without a config: each problem is one failure.
            e.problems().forEach(problem -> report.accept(Finding.fail(problem.toString(), fixFor(problem))));
            return;
        }
        report.accept(Finding.ok("config " + configFile + " is valid"));
        if (!lists(config)) {
            return;
        }
        new ListenerChecks(config.proxy(), Instant.now(), report).run();
        UpstreamAddress upstream = config.proxy().upstream();
        try (UpstreamGet plexHttp = new UpstreamGet(environment.timeout(), "plexgate-doctor-plex")) {
            PlexChecks plex = new PlexChecks(upstream, plexHttp, report);
            plex.verification();
            if (plex.identity()) {
                PlexToken token = plexToken(plexTokenFile);
                if (token != null) {
                    plex.preferences(token);
                }
            }
        }
        if (config.tunnel().enabled()) {
            new TunnelChecks(config.tunnel(), configFile, config.proxy().listen(), upstream,
                    new HttpGet(environment.timeout()), environment.timeout(), report).run();
        } else {
            report.accept(Finding.ok("tunnel: not run by plexgate (tunnel.enabled: false), not checked"));
        }
        plexPort(upstream, strict);
    }

    private static String fixFor(ConfigProblem problem) {
        Matcher chmod = CHMOD.matcher(problem.message());
        if (chmod.find()) {
            return "chmod 600 " + chmod.group(1) + " (only the user plexgate runs as may read the token)";
        }
        return "correct it in " + problem.file() + (problem.line() > 0 ? " at line " + problem.line() : "")
                + "; plexgate check shows the same";
    }

    /** The IP lists: not empty, their host names resolved. False when a list file is broken. */
    private boolean lists(PlexgateConfig config) {
        ScheduledExecutorService resolver = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "plexgate-doctor-dns");
            thread.setDaemon(true);
            return thread;
        });
        HostRefresh refresh = new HostRefresh(environment.resolver(), resolver, HostRefresh.DEFAULT_INTERVAL,
                environment.resolveWait());
        try (LoadedPolicy policy = PolicyLoader.load(config.policy(), new SimpleMeterRegistry(), refresh, null)) {
            if (policy.ipLists().isEmpty()) {
                report.accept(Finding.warn("no allow-list: nothing restricts who reaches Plex through the tunnel",
                        "add lists: {friends: allow.list} and the rules of the shipped plexgate.yml, then plexgate"
                                + " allow add ADDRESS NAME"));
            }
            for (Map.Entry<String, IpList> list : policy.ipLists().entrySet()) {
                allowList(list.getKey(), list.getValue(), policy.ipLists().size() > 1);
            }
            return true;
        } catch (ConfigException e) {
            e.problems().forEach(problem -> report.accept(Finding.fail(problem.toString(), fixFor(problem))));
            return false;
        } finally {
            resolver.shutdownNow();
        }
    }

    /** @param oneOfMany whether {@code plexgate allow} needs {@code --list} to know which list is meant */
    private void allowList(String name, IpList list, boolean oneOfMany) {
        Path file = list.file().file();
        int entries = list.file().entries().size();
        if (entries == 0) {
            report.accept(Finding.warn("list " + name + " (" + file + ") has no entries: rules that allow only"
                    + " $" + name + " block every request",
                    "plexgate allow add " + (oneOfMany ? "--list " + name + " " : "") + "ADDRESS|CIDR|HOST NAME"));
            return;
        }
        report.accept(Finding.ok("list " + name + ": " + entries + (entries == 1 ? " entry" : " entries")));
        for (HostState host : list.hosts()) {
            String label = "list " + name + ": " + host.entry().hostName() + " (line " + host.entry().line() + ")";
            if (host.addresses().isEmpty()) {
                report.accept(Finding.warn(label + " does not resolve: " + (host.failure() != null ? host.failure()
                        : "no answer within " + environment.resolveWait().toSeconds() + "s"),
                        "check the name and its dynamic DNS client; until it resolves it matches nobody"));
            } else {
                report.accept(Finding.ok(label + " resolves to " + host.addresses().stream()
                        .map(InetAddress::getHostAddress).collect(Collectors.joining(", "))));
            }
        }
    }

    private PlexToken plexToken(Path plexTokenFile) {
        if (plexTokenFile != null) {
            try {
                return PlexToken.fromFile(plexTokenFile);
            } catch (IOException e) {
                report.accept(Finding.fail("cannot read the Plex token from " + plexTokenFile + ": "
                        + e.getClass().getSimpleName(), "give --plex-token-file a readable file holding the token"));
                return null;
            }
        }
        PlexToken token = PlexToken.fromPreferences(environment.preferencesFiles());
        if (token == null) {
            report.accept(Finding.warn("Plex's settings not checked: no Plex token (no readable Preferences.xml in "
                    + environment.preferencesFiles().stream().map(Path::toString).collect(Collectors.joining(", "))
                    + ")", "run plexgate doctor as root, or give --plex-token-file FILE with the server owner's"
                    + " X-Plex-Token"));
        }
        return token;
    }

    /**
     * Whether Plex's port is open on other interfaces, from the kernel's socket tables: doctor
     * sends nothing to a non-loopback address. Only meaningful when Plex runs on this machine.
     */
    private void plexPort(UpstreamAddress upstream, boolean strict) {
        InetAddress host = IpLiterals.tryParse(upstream.host());
        if (!(upstream.host().equals("localhost") || host != null && host.isLoopbackAddress())) {
            return;
        }
        List<InetAddress> open = new ArrayList<>();
        for (Path table : environment.procNetTcp()) {
            try {
                ListeningSockets.listening(table, upstream.port()).stream()
                        .filter(address -> !address.isLoopbackAddress()).forEach(open::add);
            } catch (IOException e) {
                report.accept(Finding.warn("cannot read " + table + " to see who listens on port " + upstream.port()
                        + ": " + e.getClass().getSimpleName(), "run plexgate doctor where /proc is mounted"));
                return;
            }
        }
        if (open.isEmpty()) {
            report.accept(Finding.ok("Plex's port " + upstream.port() + " listens on loopback only"));
            return;
        }
        String addresses = open.stream().map(address -> address.isAnyLocalAddress()
                ? "every interface (" + (address instanceof Inet6Address ? "::" : "0.0.0.0") + ")"
                : address.getHostAddress()).distinct().collect(Collectors.joining(", "));
        String text = "Plex's port " + upstream.port() + " listens on " + addresses + ": other machines can reach"
                + " Plex around plexgate";
        String fix = "block port " + upstream.port() + " from other hosts in the firewall (ufw deny "
                + upstream.port() + "/tcp, or an nftables rule)";
        report.accept(strict ? Finding.fail(text, fix) : Finding.warn(text, fix));
    }
}
