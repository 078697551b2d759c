package dev.plexgate.proxy.upstream;

import dev.plexgate.proxy.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to Plex, one pool per event loop. An exchange only ever takes a
 * connection from the pool of its own client connection's loop, so both channels of an exchange
 * run on one thread: no locks, no cross-thread hand-off, and a pool's deque needs no
 * synchronisation because only that loop touches it.
 */
public final class UpstreamPool {

    /** Bytes a connection may queue before it reports unwritable (and the other side stops reading). */
    public static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    /** The name of the TLS handler in an upstream pipeline to an https:// upstream. */
    static final String TLS = "tls";

    private final UpstreamAddress address;
    private final SslContext tls;
    private final Bootstrap bootstrap;
    private final Map<EventExecutor, LoopPool> pools = new IdentityHashMap<>();
    private final int maxIdle;
    private final long idleNanos;

    public UpstreamPool(UpstreamAddress address, EventLoopGroup group, Transport transport,
            Duration connectTimeout, Duration idleTimeout, int maxIdle) {
        this.address = address;
        this.maxIdle = maxIdle;
        this.idleNanos = idleTimeout.toNanos();
        this.tls = address.secure() ? address.tls().clientContext() : null;
        for (EventExecutor loop : group) {
            pools.put(loop, new LoopPool());
        }
        this.bootstrap = new Bootstrap()
                .channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.RCVBUF_ALLOCATOR, readSizes(transport.kind()));
    }

    /**
     * How much one read from Plex may take. Media moves in large pieces: up to 1 MiB (DESIGN §9).
     * On io_uring a queued receive holds its buffer until data comes, and every pooled connection
     * idles with one queued (so that Plex closing it is noticed), so there reads start at 16 KiB
     * and stop at 512 KiB. Measured on io_uring, 1 MiB against 512 KiB reads: direct memory after
     * media, Range and 200-connection runs 51 against 33 MiB, peak RSS 249 against 219 MiB, media
     * and Range 4-5 % slower (256 KiB reads: 17 MiB and 198 MiB, but 10-15 % slower).
     */
    static RecvByteBufAllocator readSizes(Transport.Kind transport) {
        return transport == Transport.Kind.IO_URING
                ? new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 512 * 1024)
                : new AdaptiveRecvByteBufAllocator(512, 64 * 1024, 1024 * 1024);
    }

    public UpstreamAddress address() {
        return address;
    }

    /** An idle live connection of {@code loop}'s pool, now held by {@code listener}; or null. */
    public Channel pollIdle(EventLoop loop, UpstreamListener listener) {
        LoopPool pool = pools.get(loop);
        long now = System.nanoTime();
        Channel channel;
        while ((channel = pool.idle.pollFirst()) != null) {
            UpstreamHandler handler = channel.pipeline().get(UpstreamHandler.class);
            if (channel.isActive() && handler != null && now - handler.idleSinceNanos() < idleNanos) {
                handler.attach(listener);
                return channel;
            }
            channel.close();
        }
        return null;
    }

    /** A new connection on {@code loop}, held by {@code listener} once connected. */
    public ChannelFuture connect(EventLoop loop, UpstreamListener listener) {
        LoopPool pool = pools.get(loop);
        UpstreamHandler handler = new UpstreamHandler(pool);
        handler.attach(listener);
        return bootstrap.clone(loop)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (tls != null) {
                            // SNI and the name verified: server_name, or the upstream's host.
                            channel.pipeline().addLast(TLS, tls.newHandler(channel.alloc(),
                                    address.tls().serverNameFor(address.host()), address.port()));
                        }
                        UpstreamCodec.addTo(channel.pipeline());
                        channel.pipeline().addLast("upstream", handler);
                    }
                })
                .connect(address.host(), address.port());
    }

    /**
     * Hands a connection that switched protocols (a websocket after its {@code 101}) to
     * {@code listener} as raw bytes: the HTTP codec goes, and bytes it had buffered pass on. The
     * connection never returns to the pool.
     */
    public static void switchToRaw(Channel channel, UpstreamListener listener) {
        UpstreamHandler handler = channel.pipeline().get(UpstreamHandler.class);
        handler.attach(listener);
        UpstreamCodec.removeFrom(channel.pipeline());
    }

    /**
     * Returns a connection whose exchange ended cleanly. It is kept if alive and its loop's pool
     * has room; a read is left pending so that the origin closing it is noticed while it idles.
     */
    public void release(Channel channel) {
        UpstreamHandler handler = channel.pipeline().get(UpstreamHandler.class);
        if (handler != null) {
            handler.detach();
        }
        LoopPool pool = pools.get(channel.eventLoop());
        if (handler == null || !channel.isActive() || pool.idle.size() >= maxIdle) {
            channel.close();
            return;
        }
        handler.idleSince(System.nanoTime());
        pool.idle.addFirst(channel);
        pool.sweepLater(channel.eventLoop(), idleNanos);
        channel.read();
    }

    /**
     * Idle connections per loop, most recently used first so that the rest can time out. Rather
     * than a timer per connection, scheduled and cancelled on every request, one sweep per loop
     * closes the oldest connections once they have idled for {@code upstream_keep_alive}, and
     * runs again when the next oldest will have; it is not scheduled while the pool is empty.
     */
    static final class LoopPool {
        final ArrayDeque<Channel> idle = new ArrayDeque<>();
        private boolean sweepScheduled;

        void forget(Channel channel) {
            idle.remove(channel);
        }

        void sweepLater(EventLoop loop, long idleNanos) {
            if (!sweepScheduled) {
                sweepScheduled = true;
                loop.schedule(() -> sweep(loop, idleNanos), idleNanos, TimeUnit.NANOSECONDS);
            }
        }

        private void sweep(EventLoop loop, long idleNanos) {
            sweepScheduled = false;
            long now = System.nanoTime();
            Channel oldest;
            while ((oldest = idle.peekLast()) != null) {
                UpstreamHandler handler = oldest.pipeline().get(UpstreamHandler.class);
                long idleFor = handler == null ? idleNanos : now - handler.idleSinceNanos();
                if (idleFor < idleNanos) {
                    sweepScheduled = true;
                    loop.schedule(() -> sweep(loop, idleNanos), idleNanos - idleFor, TimeUnit.NANOSECONDS);
                    return;
                }
                idle.pollLast();
                oldest.close();
            }
        }
    }
}
