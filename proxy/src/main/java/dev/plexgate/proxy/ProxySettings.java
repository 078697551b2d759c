package dev.plexgate.proxy;

import dev.plexgate.proxy.policy.Cidr;
import dev.plexgate.proxy.tls.TlsListener;
import dev.plexgate.proxy.upstream.UpstreamAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the proxy needs to run, already validated. The control module builds it from
 * {@code plexgate.yml}; tests build it directly.
 *
 * @param listen         where cloudflared connects (the tunnel's service URL)
 * @param upstream       Plex
 * @param trustedProxies peers allowed to assert the client address and country (cloudflared)
 * @param clientIpHeader header a trusted peer sets to the visitor's address: {@code CF-Connecting-IP},
 *                       or {@code X-Forwarded-For} (its last hop) for a proxy that only sends that
 * @param cacheBypass    replace the origin's cache headers with {@code no-store} on every response
 * @param timeouts       every deadline of the request path
 * @param limits         sizes and counts that bound what a client can make the proxy hold
 * @param eventLoops     I/O threads; by default one per CPU the JVM may use (see {@link #defaultEventLoops()})
 * @param transport      the socket implementation asked for; by default epoll (see {@link Transport.Kind})
 * @param listenTls      a second, TLS listener for a cloudflared on another machine; or null
 */
public record ProxySettings(
        InetSocketAddress listen,
        UpstreamAddress upstream,
        List<Cidr> trustedProxies,
        String clientIpHeader,
        boolean cacheBypass,
        Timeouts timeouts,
        Limits limits,
        int eventLoops,
        Transport.Kind transport,
        TlsListener listenTls) {

    public static final String CF_CONNECTING_IP = "CF-Connecting-IP";
    public static final String X_FORWARDED_FOR = "X-Forwarded-For";

    public ProxySettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(upstream, "upstream");
        trustedProxies = List.copyOf(trustedProxies);
        if (!CF_CONNECTING_IP.equalsIgnoreCase(clientIpHeader) && !X_FORWARDED_FOR.equalsIgnoreCase(clientIpHeader)) {
            throw new IllegalArgumentException("client_ip_header '" + clientIpHeader + "' (expected: "
                    + CF_CONNECTING_IP + " or " + X_FORWARDED_FOR + ")");
        }
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(limits, "limits");
        if (eventLoops < 1 || eventLoops > 64) {
            throw new IllegalArgumentException("event_loops " + eventLoops + " (expected: 1 to 64)");
        }
        Objects.requireNonNull(transport, "transport");
    }

    /** On epoll, without a TLS listener. */
    public ProxySettings(InetSocketAddress listen, UpstreamAddress upstream, List<Cidr> trustedProxies,
            String clientIpHeader, boolean cacheBypass, Timeouts timeouts, Limits limits, int eventLoops) {
        this(listen, upstream, trustedProxies, clientIpHeader, cacheBypass, timeouts, limits, eventLoops,
                Transport.Kind.EPOLL, null);
    }

    /** The shipped defaults for everything but the addresses. */
    public static ProxySettings defaults(InetSocketAddress listen, UpstreamAddress upstream) {
        return new ProxySettings(listen, upstream,
                List.of(Cidr.parse("127.0.0.1/32"), Cidr.parse("::1/128")),
                CF_CONNECTING_IP, true, Timeouts.DEFAULTS, Limits.DEFAULTS, defaultEventLoops());
    }

    /**
     * One event loop per CPU the JVM may use (its cgroup quota included), as nginx's
     * {@code worker_processes auto}: with a single loop on a 2-core host, that loop was the
     * bottleneck whenever the client or Plex held the other core. Two loops beat one in every
     * column of issue 2's benchmark; conf/plexgate.yml gives the figures.
     */
    public static int defaultEventLoops() {
        return Math.min(64, Runtime.getRuntime().availableProcessors());
    }

    public ProxySettings withTimeouts(Timeouts newTimeouts) {
        return new ProxySettings(listen, upstream, trustedProxies, clientIpHeader, cacheBypass, newTimeouts,
                limits, eventLoops, transport, listenTls);
    }

    public ProxySettings withLimits(Limits newLimits) {
        return new ProxySettings(listen, upstream, trustedProxies, clientIpHeader, cacheBypass, timeouts,
                newLimits, eventLoops, transport, listenTls);
    }

    public ProxySettings withListenTls(TlsListener newListenTls) {
        return new ProxySettings(listen, upstream, trustedProxies, clientIpHeader, cacheBypass, timeouts,
                limits, eventLoops, transport, newListenTls);
    }

    public ProxySettings withTransport(Transport.Kind newTransport) {
        return new ProxySettings(listen, upstream, trustedProxies, clientIpHeader, cacheBypass, timeouts,
                limits, eventLoops, newTransport, listenTls);
    }

    public ProxySettings withUpstream(UpstreamAddress newUpstream) {
        return new ProxySettings(listen, newUpstream, trustedProxies, clientIpHeader, cacheBypass, timeouts,
                limits, eventLoops, transport, listenTls);
    }

    /**
     * Deadlines. Plex's traffic sets the defaults (DESIGN §10): long polls stay silent for tens of
     * seconds, paused players leave a response unread for many minutes.
     *
     * @param connect           connecting to Plex; past it the client gets a 502 page
     * @param responseHeader    from the request's end to the response head; past it a 504 page
     * @param requestHeader     a client must send a whole request head within this (slowloris)
     * @param keepAlive         an idle client connection between requests is closed after this; longer
     *                          than cloudflared's 90 s so that it, the client, closes first
     * @param streamIdle        an exchange in progress (body, websocket) with no byte moving either
     *                          way is closed after this; a paused player must survive it
     * @param upstreamKeepAlive an idle pooled connection to Plex is closed after this
     * @param shutdown          on SIGTERM, in-flight exchanges get this long to finish
     */
    public record Timeouts(
            Duration connect,
            Duration responseHeader,
            Duration requestHeader,
            Duration keepAlive,
            Duration streamIdle,
            Duration upstreamKeepAlive,
            Duration shutdown) {

        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(120),
                Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofHours(1), Duration.ofSeconds(30),
                Duration.ofSeconds(10));

        public Timeouts {
            positive(connect, "connect");
            positive(responseHeader, "response_header");
            positive(requestHeader, "request_header");
            positive(keepAlive, "keep_alive");
            positive(streamIdle, "stream_idle");
            positive(upstreamKeepAlive, "upstream_keep_alive");
            Objects.requireNonNull(shutdown, "shutdown");
            if (shutdown.isNegative()) {
                throw new IllegalArgumentException("shutdown " + shutdown + " (expected: zero or more)");
            }
        }

        private static void positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " " + value + " (expected: more than zero)");
            }
        }
    }

    /**
     * @param maxConnections     concurrent client connections; more are closed at once
     * @param maxHeaderSize      bytes of a request's header block; more gets 431
     * @param maxRequestLine     bytes of the request line; more gets 414
     * @param maxIdleUpstream    idle keep-alive connections to Plex kept per event loop
     */
    public record Limits(int maxConnections, int maxHeaderSize, int maxRequestLine, int maxIdleUpstream) {

        /**
         * The idle pool holds more than cloudflared's own pool of connections to its origin
         * ({@code keepAliveConnections}, 100): with fewer, every burst beyond it closes connections
         * to Plex on release and opens new ones for the next requests.
         */
        public static final Limits DEFAULTS = new Limits(1024, 32 * 1024, 8 * 1024, 128);

        public Limits {
            range(maxConnections, 1, 1_000_000, "max_connections");
            range(maxHeaderSize, 1024, 1024 * 1024, "max_header_size");
            range(maxRequestLine, 256, 1024 * 1024, "max_request_line");
            range(maxIdleUpstream, 0, 10_000, "max_idle_upstream");
        }

        private static void range(int value, int min, int max, String name) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " " + value + " (expected: " + min + " to " + max + ")");
            }
        }
    }
}
