package dev.plexgate.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open client connections: the cap on how many, and the list a graceful shutdown drains.
 * Shared by all event loops, hence the concurrent group and atomic counter.
 */
public final class ConnectionTracker {

    /** Fired down a client pipeline when the server starts draining. */
    static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    private final ChannelGroup open = new DefaultChannelGroup("plexgate-clients", GlobalEventExecutor.INSTANCE);
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean draining;

    /** Registers a new connection; false when {@code maxConnections} are open or the server is draining. */
    boolean admit(Channel channel, int maxConnections) {
        if (draining || open.size() >= maxConnections) {
            refused.incrementAndGet();
            return false;
        }
        open.add(channel); // removed by the group itself when the channel closes
        return true;
    }

    boolean draining() {
        return draining;
    }

    public int openConnections() {
        return open.size();
    }

    public long refusedConnections() {
        return refused.get();
    }

    /**
     * Idle connections close now; busy ones close after their exchange.
     *
     * @return completes when every connection open now has closed
     */
    public ChannelGroupFuture drain() {
        draining = true;
        ChannelGroupFuture allClosed = open.newCloseFuture();
        for (Channel channel : open) {
            channel.pipeline().fireUserEventTriggered(DRAIN);
        }
        return allClosed;
    }

    public void closeAll() {
        open.close();
    }
}
