package dev.plexgate.proxy;

import dev.plexgate.proxy.events.EventLog;
import dev.plexgate.proxy.http.AdmissionHandler;
import dev.plexgate.proxy.http.ConnectionTracker;
import dev.plexgate.proxy.http.ExchangeConfig;
import dev.plexgate.proxy.http.LiveConfig;
import dev.plexgate.proxy.http.ProxyMeters;
import dev.plexgate.proxy.policy.Policy;
import dev.plexgate.proxy.http.ProxyChannelInitializer;
import dev.plexgate.proxy.tls.TlsListener;
import dev.plexgate.proxy.upstream.UpstreamPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The running proxy: the plain listener, the TLS listener when configured, the event loops, and
 * the upstream pools on those loops. Both listeners share the loops, the connection cap and the
 * config generation.
 * {@link #start} binds or throws; {@link #shutdown} drains and releases everything.
 */
public final class ProxyServer implements AutoCloseable {

    private final Transport transport;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ConnectionTracker connections;
    private final LiveConfig live;
    private final Channel listener;
    private final Channel tlsListener;

    private ProxyServer(Transport transport, EventLoopGroup acceptor, EventLoopGroup workers,
            ConnectionTracker connections, LiveConfig live, Channel listener, Channel tlsListener) {
        this.transport = transport;
        this.acceptor = acceptor;
        this.workers = workers;
        this.connections = connections;
        this.live = live;
        this.listener = listener;
        this.tlsListener = tlsListener;
    }

    /**
     * Binds {@code settings.listen()} and starts serving.
     *
     * @throws java.net.BindException (as thrown by the transport) when the address cannot be bound
     */
    public static ProxyServer start(ProxySettings settings) throws InterruptedException {
        return start(settings, Policy.allowAll(), EventLog.disabled());
    }

    /**
     * Binds {@code settings.listen()} and serves under {@code policy}, recording security events
     * to {@code events} (which the caller closes after {@link #shutdown}).
     */
    public static ProxyServer start(ProxySettings settings, Policy policy, EventLog events)
            throws InterruptedException {
        return start(settings, policy, events, new SimpleMeterRegistry());
    }

    /** As above, with the request path's meters registered in {@code registry}. */
    public static ProxyServer start(ProxySettings settings, Policy policy, EventLog events, MeterRegistry registry)
            throws InterruptedException {
        Transport transport = Transport.select(settings.transport());
        EventLoopGroup acceptor = transport.newGroup(1, "plexgate-accept");
        EventLoopGroup workers = transport.newGroup(settings.eventLoops(), "plexgate-io");
        try {
            UpstreamPool pool = new UpstreamPool(settings.upstream(), workers, transport,
                    settings.timeouts().connect(), settings.timeouts().upstreamKeepAlive(),
                    settings.limits().maxIdleUpstream());
            ConnectionTracker connections = new ConnectionTracker();
            LiveConfig live = new LiveConfig(ExchangeConfig.of(settings, pool, policy), events,
                    new ProxyMeters(registry));
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .handler(new AdmissionHandler(
                            () -> live.current().settings().limits().maxConnections(), connections))
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, UpstreamPool.WATER_MARK)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, 256 * 1024));
            Channel listener = bootstrap.clone()
                    .childHandler(new ProxyChannelInitializer(live, connections, false))
                    .bind(settings.listen())
                    .sync()
                    .channel();
            Channel tlsListener = null;
            if (settings.listenTls() != null) {
                try {
                    tlsListener = bootstrap.clone()
                            .childHandler(new ProxyChannelInitializer(live, connections, true))
                            .bind(settings.listenTls().address())
                            .sync()
                            .channel();
                } catch (RuntimeException | InterruptedException e) {
                    listener.close().sync();
                    throw e;
                }
                Gauge.builder("plexgate.tls.certificate.expiry.timestamp", live,
                                l -> l.current().settings().listenTls().identity().notAfter().getEpochSecond())
                        .description("When the TLS listener's certificate expires (Unix time)")
                        .baseUnit("seconds")
                        .register(registry);
            }
            return new ProxyServer(transport, acceptor, workers, connections, live, listener, tlsListener);
        } catch (RuntimeException | InterruptedException e) {
            acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public ProxySettings settings() {
        return live.current().settings();
    }

    public Policy policy() {
        return live.current().policy();
    }

    /**
     * Serves new requests under {@code newSettings} and {@code newPolicy}; exchanges in flight
     * finish under the generation they started with. The listen address and the event loop count
     * are fixed for the life of the server, and so is the transport.
     *
     * @throws IllegalArgumentException when a fixed setting changed (restart to apply it)
     */
    public void reload(ProxySettings newSettings, Policy newPolicy) {
        ExchangeConfig current = live.current();
        ProxySettings old = current.settings();
        if (!old.listen().equals(newSettings.listen())) {
            throw new IllegalArgumentException("listen changed from " + old.listen() + " to " + newSettings.listen()
                    + ": restart plexgate to apply it");
        }
        if (!Objects.equals(address(old.listenTls()), address(newSettings.listenTls()))) {
            throw new IllegalArgumentException("listen_tls.address changed from " + describe(old.listenTls()) + " to "
                    + describe(newSettings.listenTls()) + ": restart plexgate to apply it");
        }
        if (old.eventLoops() != newSettings.eventLoops()) {
            throw new IllegalArgumentException("event_loops changed from " + old.eventLoops() + " to "
                    + newSettings.eventLoops() + ": restart plexgate to apply it");
        }
        if (old.transport() != newSettings.transport()) {
            throw new IllegalArgumentException("transport changed from " + old.transport().configName() + " to "
                    + newSettings.transport().configName() + ": restart plexgate to apply it");
        }
        boolean samePool = old.upstream().equals(newSettings.upstream())
                && old.timeouts().connect().equals(newSettings.timeouts().connect())
                && old.timeouts().upstreamKeepAlive().equals(newSettings.timeouts().upstreamKeepAlive())
                && old.limits().maxIdleUpstream() == newSettings.limits().maxIdleUpstream();
        UpstreamPool pool = samePool ? current.pool() : new UpstreamPool(newSettings.upstream(), workers,
                transport, newSettings.timeouts().connect(), newSettings.timeouts().upstreamKeepAlive(),
                newSettings.limits().maxIdleUpstream());
        live.swap(ExchangeConfig.of(newSettings, pool, newPolicy));
    }

    private static InetSocketAddress address(TlsListener tls) {
        return tls == null ? null : tls.address();
    }

    private static String describe(TlsListener tls) {
        return tls == null ? "none (no listen_tls)" : tls.address().toString();
    }

    /** The bound address (the real port when the settings asked for port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The TLS listener's bound address, or null without one. */
    public InetSocketAddress tlsAddress() {
        return tlsListener == null ? null : (InetSocketAddress) tlsListener.localAddress();
    }

    /** Whether it still accepts connections: until {@link #shutdown} starts. */
    public boolean listening() {
        return listener.isActive() && (tlsListener == null || tlsListener.isActive());
    }

    /** The transport serving: {@code io_uring}, {@code epoll} or {@code nio} (what the host provides of the one asked for). */
    public String transport() {
        return transport.name();
    }

    public int openConnections() {
        return connections.openConnections();
    }

    public long refusedConnections() {
        return connections.refusedConnections();
    }

    /**
     * Stops accepting, closes idle connections, lets in-flight exchanges finish for up to
     * {@code grace}, then closes whatever is left and stops the event loops.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        listener.close().sync();
        if (tlsListener != null) {
            tlsListener.close().sync();
        }
        connections.drain().await(grace.toMillis(), TimeUnit.MILLISECONDS);
        connections.closeAll();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Override
    public void close() throws InterruptedException {
        shutdown(Duration.ZERO);
    }
}
