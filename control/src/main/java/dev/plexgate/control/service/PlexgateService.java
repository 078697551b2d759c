package dev.plexgate.control.service;

import dev.plexgate.agent.AgentState;
import dev.plexgate.agent.TunnelAgent;
import dev.plexgate.control.admin.AdminServer;
import dev.plexgate.control.admin.MetricsExport;
import dev.plexgate.control.admin.UpstreamProbe;
import dev.plexgate.control.config.AdminSettings;
import dev.plexgate.control.config.Addresses;
import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.ConfigProblem;
import dev.plexgate.control.config.LoadedPolicy;
import dev.plexgate.control.config.PlexgateConfig;
import dev.plexgate.control.config.PolicyLoader;
import dev.plexgate.proxy.ProxyServer;
import dev.plexgate.proxy.ProxySettings;
import dev.plexgate.proxy.tls.ServerIdentity;
import dev.plexgate.proxy.tls.TlsEngine;
import dev.plexgate.proxy.events.EventLog;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.policy.lists.HostRefresh;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * plexgate in the foreground: start, serve until SIGTERM or SIGINT, stop in order. While it
 * serves, a change to plexgate.yml or a list file (or SIGHUP) reloads the config; a config that
 * fails to load is rejected and the running one stays.
 *
 * <p>cloudflared, when the tunnel is enabled, starts once the proxy listens and stops before it:
 * requests the tunnel still carries during cloudflared's grace period need the proxy. The proxy
 * serves whatever the tunnel does, so local clients keep working while it is down. The admin
 * listener likewise starts once the proxy listens and stops before it.
 */
public final class PlexgateService {

    private static final Logger log = LoggerFactory.getLogger(PlexgateService.class);
    /** Editors write a file in several steps; wait for quiet before reading it. */
    private static final Duration RELOAD_DEBOUNCE = Duration.ofMillis(300);

    private final Path configFile;
    private final PlexgateConfig config;

    public PlexgateService(Path configFile, PlexgateConfig config) {
        this.configFile = configFile;
        this.config = config;
    }

    /**
     * Returns once a stop signal has been handled and everything is closed.
     *
     * @throws ConfigException when a list file or a rule's expression is wrong
     * @throws StartFailure    when the proxy cannot start, such as when its address is taken
     */
    public void run() throws ConfigException, StartFailure, InterruptedException {
        Instant started = Instant.now();
        PrometheusMeterRegistry meters = MetricsExport.newRegistry();
        ScheduledExecutorService resolver = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "plexgate-dns");
            thread.setDaemon(true);
            return thread;
        });
        HostRefresh refresh = HostRefresh.system(resolver);
        try (EventLog events = EventLog.open(config.events())) {
            LoadedPolicy policy = PolicyLoader.load(config.policy(), meters, refresh, null);
            for (ConfigProblem warning : config.warnings()) {
                log.warn("{}", warning);
            }
            for (ConfigProblem warning : policy.warnings()) {
                log.warn("{}", warning);
            }
            events.bindTo(meters);
            ProxyServer proxy;
            try {
                proxy = start(config.proxy(), policy.policy(), events, meters);
            } catch (StartFailure | InterruptedException | RuntimeException e) {
                policy.close();
                throw e;
            }
            MetricsExport.bindProxy(proxy, meters);
            TunnelAgent tunnel = TunnelAgent.create(config.tunnel());
            bind(tunnel, meters);
            // From here the reloader owns the policy being served and closes it last.
            try (Reloader reloader = new Reloader(configFile, config, policy, proxy, tunnel, meters, refresh);
                    UpstreamProbe upstream = new UpstreamProbe(() -> proxy.settings().upstream(),
                            UpstreamProbe.INTERVAL, meters)) {
                AdminServer admin = startAdmin(config.admin(), proxy, new ServiceState(PlexgateVersion.get(),
                        started, configFile, proxy, tunnel, meters, reloader), meters, upstream);
                upstream.start();
                tunnel.start();
                serve(proxy, tunnel, reloader, admin);
            } finally {
                // Already stopped after a signal; here for a failure on the way, so no child outlives us.
                tunnel.stop();
            }
        } finally {
            resolver.shutdownNow();
        }
    }

    private void serve(ProxyServer proxy, TunnelAgent tunnel, Reloader reloader, AdminServer admin)
            throws InterruptedException {
        ProxySettings settings = config.proxy();
        // Installed only once serving: a signal before that gets the JVM's default, an exit.
        ShutdownSignals signals = ShutdownSignals.install(() -> reloader.reload("SIGHUP"));
        try {
            try {
                reloader.watchFiles(new ConfigWatcher(() -> reloader.reload("file change"), RELOAD_DEBOUNCE));
            } catch (IOException e) {
                log.warn("cannot watch the config files ({}); reload with SIGHUP instead", e.getMessage());
            }
            if (!proxy.transport().equals(settings.transport().configName())) {
                log.warn("transport {} is not available here ({}); serving on {}", settings.transport().configName(),
                        settings.transport().unavailability(), proxy.transport());
            }
            // The loop count is said because its default depends on the machine (one per CPU).
            log.info("plexgate {} listening on {} (transport {}, {} event loop{}), upstream {}", PlexgateVersion.get(),
                    Addresses.hostAndPort(proxy.localAddress()), proxy.transport(), settings.eventLoops(),
                    settings.eventLoops() == 1 ? "" : "s", settings.upstream());
            if (settings.listenTls() != null) {
                log.info("TLS listener on {} (TLS by {}), certificate {} valid until {}{}",
                        Addresses.hostAndPort(proxy.tlsAddress()), TlsEngine.describe(),
                        ServerIdentity.subject(settings.listenTls().identity().certificate()),
                        settings.listenTls().identity().notAfter(),
                        settings.listenTls().identity().requiresClientCertificate() ? ", client certificates required" : "");
            }
            String reason = signals.awaitStopRequest();
            ProxySettings running = proxy.settings();
            log.info("{}: stopping, requests in flight have {} to finish", reason,
                    readable(running.timeouts().shutdown()));
            tunnel.stop();
            admin.close();
            proxy.shutdown(running.timeouts().shutdown());
            log.info("stopped");
        } finally {
            // Already closed after a signal; here for a failure on the way.
            admin.close();
            signals.stopped();
        }
    }

    /** plexgate_tunnel_up, plexgate_tunnel_ready_connections, plexgate_tunnel_restarts_total (DESIGN §7). */
    private static void bind(TunnelAgent tunnel, MeterRegistry meters) {
        Gauge.builder("plexgate.tunnel.up", tunnel, agent -> agent.status().state() == AgentState.CONNECTED ? 1 : 0)
                .description("1 when cloudflared has at least one edge connection registered")
                .register(meters);
        Gauge.builder("plexgate.tunnel.ready.connections", tunnel, agent -> agent.status().readyConnections())
                .description("Edge connections cloudflared reports ready")
                .register(meters);
        FunctionCounter.builder("plexgate.tunnel.restarts", tunnel, agent -> agent.status().restarts())
                .description("cloudflared started again after it exited")
                .register(meters);
    }

    /** The admin listener; when its address is taken, the proxy is stopped again and the start fails. */
    private static AdminServer startAdmin(AdminSettings settings, ProxyServer proxy, ServiceState state,
            PrometheusMeterRegistry prometheus, UpstreamProbe upstream) throws StartFailure, InterruptedException {
        try {
            return AdminServer.start(settings.listen(), state, prometheus, upstream);
        } catch (IOException e) {
            proxy.close();
            throw new StartFailure("cannot listen on " + Addresses.hostAndPort(settings.listen()) + " (admin.listen): "
                    + e.getMessage(), e);
        }
    }

    private static ProxyServer start(ProxySettings settings, Policy policy, EventLog events, MeterRegistry meters)
            throws StartFailure, InterruptedException {
        String address = Addresses.hostAndPort(settings.listen());
        try {
            return ProxyServer.start(settings, policy, events, meters);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Netty rethrows a failed bind as the checked IOException it is, undeclared; the native
            // transport's message starts with the system call ("bind(..) failed with error(-98): ").
            if (e instanceof IOException && e.getMessage() != null) {
                String reason = e.getMessage().substring(e.getMessage().lastIndexOf(": ") + 1).trim();
                throw new StartFailure("cannot listen on " + address + ": " + reason, e);
            }
            throw new StartFailure("cannot start the proxy on " + address + ": " + e, e);
        }
    }

    /** As plexgate.yml writes it: {@code 10s}, {@code 500ms}. */
    private static String readable(Duration duration) {
        return duration.toMillisPart() == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
