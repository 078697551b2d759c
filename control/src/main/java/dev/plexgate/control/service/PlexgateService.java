package dev.plexgate.control.service;

import dev.plexgate.control.config.PlexgateConfig;
import dev.plexgate.proxy.ProxyServer;
import dev.plexgate.proxy.ProxySettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** plexgate in the foreground: start, serve until SIGTERM or SIGINT, stop in order. */
public final class PlexgateService {

    private static final Logger log = LoggerFactory.getLogger(PlexgateService.class);

    private final PlexgateConfig config;

    public PlexgateService(PlexgateConfig config) {
        this.config = config;
    }

    /**
     * Returns once a stop signal has been handled and everything is closed.
     *
     * @throws StartFailure when the proxy cannot start, such as when its address is taken
     */
    public void run() throws StartFailure, InterruptedException {
        ProxySettings settings = config.proxy();
        ProxyServer proxy = start(settings);
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

    private static ProxyServer start(ProxySettings settings) throws StartFailure, InterruptedException {
        String address = hostAndPort(settings.listen());
        try {
            return ProxyServer.start(settings);
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
