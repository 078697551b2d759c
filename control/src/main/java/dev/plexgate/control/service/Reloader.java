package dev.plexgate.control.service;

import dev.plexgate.agent.TunnelAgent;
import dev.plexgate.control.admin.ReloadReport;
import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.ConfigLoader;
import dev.plexgate.control.config.ConfigProblem;
import dev.plexgate.control.config.LoadedPolicy;
import dev.plexgate.control.config.PlexgateConfig;
import dev.plexgate.control.config.PolicyConfig;
import dev.plexgate.control.config.PolicyLoader;
import dev.plexgate.proxy.ProxyServer;
import dev.plexgate.proxy.tls.TlsListener;
import dev.plexgate.proxy.policy.lists.HostRefresh;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed plexgate.yml or list file to the running proxy (file watch, SIGHUP and
 * {@code POST /reload}). The new config is loaded and its policy built completely first;
 * only then is it swapped in, in one step, and requests in flight finish under the old one. A
 * file that fails is rejected with its errors and the running config keeps serving. Reloads are
 * serialised: one at a time.
 *
 * <p>The tunnel section is handed to the agent only when it changed (the token read from its file
 * included): cloudflared is then restarted once, and otherwise left alone, so that editing a rule
 * never drops the tunnel's connections. A tunnel section that fails to load (a token file others
 * can read) rejects the whole reload, like any other error.
 */
final class Reloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reloader.class);

    /** What a reload attempt came to: applied, and the message logged for it (a rejection's errors). */
    record Outcome(boolean applied, String message) {
    }

    private final Path configFile;
    private final ProxyServer proxy;
    private final TunnelAgent tunnel;
    private final MeterRegistry meters;
    private final HostRefresh refresh;
    private final Counter successes;
    private final Counter failures;
    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
    private PlexgateConfig config;
    private LoadedPolicy policy;
    private ConfigWatcher watcher;
    private volatile ReloadReport last;

    Reloader(Path configFile, PlexgateConfig config, LoadedPolicy policy, ProxyServer proxy, TunnelAgent tunnel,
            MeterRegistry meters, HostRefresh refresh) {
        this.configFile = configFile;
        this.config = config;
        this.policy = policy;
        this.proxy = proxy;
        this.tunnel = tunnel;
        this.meters = meters;
        this.refresh = refresh;
        this.successes = reloads(meters, "success");
        this.failures = reloads(meters, "failure");
        lastSuccessEpochSeconds.set(System.currentTimeMillis() / 1000);
        last = new ReloadReport(Instant.now(), "start", true, "loaded " + configFile);
        Gauge.builder("plexgate.config.last.reload.success.timestamp", lastSuccessEpochSeconds, AtomicLong::get)
                .description("When the running config was last loaded successfully (Unix time)")
                .baseUnit("seconds")
                .register(meters);
    }

    /** Reloads whenever a watched file changes; watches plexgate.yml and every list file it names. */
    void watchFiles(ConfigWatcher newWatcher) {
        this.watcher = newWatcher;
        newWatcher.watch(filesOf(config));
    }

    /** The last reload tried, for /status: the load at start until there is one. */
    ReloadReport lastReload() {
        return last;
    }

    /** Loads, builds and swaps in the config on disk now; {@code trigger} says why, for the log. */
    synchronized Outcome reload(String trigger) {
        Outcome outcome = attempt(trigger);
        last = new ReloadReport(Instant.now(), trigger, outcome.applied(), outcome.message());
        return outcome;
    }

    private Outcome attempt(String trigger) {
        PlexgateConfig next;
        LoadedPolicy nextPolicy;
        try {
            next = ConfigLoader.load(configFile);
            nextPolicy = PolicyLoader.load(next.policy(), meters, refresh, null);
        } catch (ConfigException e) {
            return rejected(trigger, e.getMessage());
        }
        try {
            proxy.reload(next.proxy(), nextPolicy.policy());
        } catch (IllegalArgumentException e) {
            nextPolicy.close();
            return rejected(trigger, configFile + ": " + e.getMessage());
        }
        LoadedPolicy previous = policy;
        PlexgateConfig previousConfig = config;
        policy = nextPolicy;
        config = next;
        previous.close();
        if (watcher != null) {
            watcher.watch(filesOf(next));
        }
        successes.increment();
        lastSuccessEpochSeconds.set(System.currentTimeMillis() / 1000);
        for (ConfigProblem warning : next.warnings()) {
            log.warn("{}", warning);
        }
        for (ConfigProblem warning : nextPolicy.warnings()) {
            log.warn("{}", warning);
        }
        if (!previousConfig.events().equals(next.events())) {
            log.warn("events: changes to the events section take effect at the next restart");
        }
        if (!previousConfig.admin().equals(next.admin())) {
            log.warn("admin: changes to the admin section take effect at the next restart");
        }
        if (!previousConfig.tunnel().equals(next.tunnel())) {
            tunnel.reload(next.tunnel());
        }
        String message = "reloaded " + configFile + " (" + trigger + "): " + next.policy().rules().size()
                + " rules, " + next.policy().rateLimits().size() + " rate limits, " + next.policy().lists().size()
                + " lists";
        log.info("{}", message);
        return new Outcome(true, message);
    }

    private Outcome rejected(String trigger, String problems) {
        failures.increment();
        String message = "reload (" + trigger + ") rejected, the running config stays:\n" + problems;
        log.error("{}", message);
        return new Outcome(false, message);
    }

    /** Stops watching and closes the policy being served: call it once the proxy has stopped. */
    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.close();
        }
        policy.close();
    }

    private List<Path> filesOf(PlexgateConfig loaded) {
        List<Path> files = new ArrayList<>();
        files.add(configFile);
        for (PolicyConfig.ListDefinition list : loaded.policy().lists().values()) {
            files.add(list.file());
        }
        // A renewed certificate is picked up like an edited list: new connections get it.
        TlsListener tls = loaded.proxy().listenTls();
        if (tls != null) {
            files.addAll(tls.identity().files().all());
        }
        return files;
    }

    private static Counter reloads(MeterRegistry meters, String result) {
        return Counter.builder("plexgate.config.reloads")
                .description("Config reloads by result; a failure leaves the running config in place")
                .tag("result", result)
                .register(meters);
    }
}
