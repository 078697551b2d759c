package dev.plexgate.control.service;

import dev.plexgate.control.config.ConfigException;
import dev.plexgate.control.config.ConfigProblem;
import dev.plexgate.control.config.LoadedPolicy;
import dev.plexgate.control.config.PlexgateConfig;
import dev.plexgate.control.config.PolicyLoader;
import dev.plexgate.proxy.ProxyServer;
import dev.plexgate.proxy.ProxySettings;
import dev.plexgate.proxy.events.EventLog;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.policy.lists.HostRefresh;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** plexgate in the foreground: start, serve until SIGTERM or SIGINT, stop in order. */
public final class PlexgateService {

    private static final Logger log = LoggerFactory.getLogger(PlexgateService.class);

    private final PlexgateConfig config;
    // Every meter of the service; the registries that expose them are added to it.
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();

    public PlexgateService(PlexgateConfig config) {
        this.config = config;
    }

    /** Where the proxy, the policy and the events log register their meters. */
    public MeterRegistry meters() {
        return meters;
    }

    /**
     * Returns once a stop signal has been handled and everything is closed.
     *
     * @throws ConfigException when a list file or a rule's expression is wrong
     * @throws StartFailure    when the proxy cannot start, such as when its address is taken
     */
    public void run() throws ConfigException, StartFailure, InterruptedException {
        ScheduledExecutorService resolver = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "plexgate-dns");
            thread.setDaemon(true);
            return thread;
        });
        try (LoadedPolicy policy = PolicyLoader.load(config.policy(), meters, HostRefresh.system(resolver), null);
                EventLog events = EventLog.open(config.events())) {
            for (ConfigProblem warning : policy.warnings()) {
                log.warn("{}", warning);
            }
            events.bindTo(meters);
            serve(policy.policy(), events);
        } finally {
            resolver.shutdownNow();
        }
    }

    private void serve(Policy policy, EventLog events) throws StartFailure, InterruptedException {
        ProxySettings settings = config.proxy();
        ProxyServer proxy = start(settings, policy, events);
        // Installed only once serving: a signal before that gets the JVM's default, an exit.
        ShutdownSignals signals = ShutdownSignals.install();
        try {
            log.info("plexgate {} listening on {} (transport {}), upstream {}", PlexgateVersion.get(),
                    hostAndPort(proxy.localAddress()), proxy.transport(), settings.upstream());
            String reason = signals.awaitStopRequest();
            log.info("{}: stopping, requests in flight have {} to finish", reason,
                    readable(settings.timeouts().shutdown()));
            proxy.shutdown(settings.timeouts().shutdown());
            log.info("stopped");
        } finally {
            signals.stopped();
        }
    }

    private static ProxyServer start(ProxySettings settings, Policy policy, EventLog events)
            throws StartFailure, InterruptedException {
        String address = hostAndPort(settings.listen());
        try {
            return ProxyServer.start(settings, policy, events);
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

    /** {@code 127.0.0.1:32401} or {@code [::1]:32401}: how the address is written in plexgate.yml. */
    private static String hostAndPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
