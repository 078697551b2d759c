package dev.plexgate.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open client connections: the cap on how many, and the list a graceful shutdown drains.
 * A connection is admitted by {@link AdmissionHandler} on the acceptor's thread, in the order
 * connections were accepted and before any event loop sees it, then tracked by its own loop once
 * registered. Shared by all event loops, hence the concurrent group and atomic counters.
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
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean draining;

    /**
     * Counts a just-accepted connection in; false when {@code maxConnections} are open or the
     * server is draining. Called by the acceptor thread, while event loops count closed
     * connections out; the compare-and-set keeps the cap exact even if admissions ever came from
     * several threads.
     */
    boolean admit(Channel accepted, int maxConnections) {
        int count;
        do {
            count = admitted.get();
            if (draining || count >= maxConnections) {
                refused.incrementAndGet();
                return false;
            }
        } while (!admitted.compareAndSet(count, count + 1));
        accepted.closeFuture().addListener(closed -> admitted.decrementAndGet());
        return true;
    }

    /**
     * An admitted connection, now registered with its event loop, joins the connections a drain
     * closes (a group can only close channels that have a loop). False when a drain began since
     * its admission: the caller closes it, as the drain would have.
     */
    boolean track(Channel channel) {
        open.add(channel); // removed by the group itself when the channel closes
        return !draining; // read after the add: a drain either saw this channel or is seen here
    }

    boolean draining() {
        return draining;
    }

    public int openConnections() {
        return admitted.get();
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
