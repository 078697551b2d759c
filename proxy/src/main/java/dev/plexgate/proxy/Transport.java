package dev.plexgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;

/**
 * The socket implementation. Server and upstream channels must come from the same transport so
 * that an inbound connection and its upstream connection share one event loop.
 */
public record Transport(
        Kind kind,
        IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends Channel> socketChannel) {

    private static final String POLL_ADD_MULTISHOT = "io.netty.iouring.pollAddMultishotEnabled";

    /**
     * What {@code plexgate.yml}'s {@code transport} asks for. A kind this host cannot provide falls
     * back to the next one down: io_uring to epoll, epoll to NIO.
     */
    public enum Kind {
        /**
         * Linux's io_uring: an event loop's reads and writes go to the kernel in batches, not a
         * system call each, which on the bench cost a fifth less CPU per small request than
         * epoll (conf/plexgate.yml has the figures). Opt-in: io_uring widens the kernel interface
         * a service exposes, and hardened hosts and most container runtimes switch it off (then
         * epoll serves).
         */
        IO_URING,
        /** Linux's native epoll (DESIGN §3): fewer copies and system calls than NIO. The default. */
        EPOLL,
        /** The JDK's NIO: everywhere, slowest. */
        NIO;

        /** As plexgate.yml and the startup line spell it. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Why this host cannot provide it, or null when it can. */
        public String unavailability() {
            Throwable cause = switch (this) {
                case IO_URING -> {
                    singleShotPollIn();
                    yield IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
                }
                case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
                case NIO -> null;
            };
            if (cause == null) {
                return null;
            }
            return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        }
    }

    /**
     * Netty's io_uring waits for a quiet socket to become readable with one multishot POLL_ADD.
     * A wakeup it delivers while a receive is in flight is dropped, and a multishot poll does not
     * fire again for a state the socket is already in: when Plex resets a connection just as its
     * last bytes are being read, the reset was never noticed and the client hung on a body that
     * would never come (FailureTest's reset tests caught it, about every second run). Single-shot
     * polls re-read the socket's state each time they are armed. Netty reads the switch once, when
     * its io_uring classes load, so it is set before the first use; an operator's own
     * {@code -D} of it wins.
     */
    private static void singleShotPollIn() {
        if (System.getProperty(POLL_ADD_MULTISHOT) == null) {
            System.setProperty(POLL_ADD_MULTISHOT, "false");
        }
    }

    /** {@code wanted} when this host provides it, else the first kind below it that it does. */
    public static Transport select(Kind wanted) {
        Kind kind = wanted;
        while (kind.unavailability() != null) {
            kind = Kind.values()[kind.ordinal() + 1];
        }
        return switch (kind) {
            case IO_URING -> new Transport(kind, IoUringIoHandler.newFactory(),
                    IoUringServerSocketChannel.class, IoUringSocketChannel.class);
            case EPOLL -> new Transport(kind, EpollIoHandler.newFactory(),
                    EpollServerSocketChannel.class, EpollSocketChannel.class);
            case NIO -> new Transport(kind, NioIoHandler.newFactory(),
                    NioServerSocketChannel.class, NioSocketChannel.class);
        };
    }

    /** {@code io_uring}, {@code epoll} or {@code nio}. */
    public String name() {
        return kind.configName();
    }

    /** A group of {@code threads} daemon event loops named {@code threadPrefix-…}. */
    public EventLoopGroup newGroup(int threads, String threadPrefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true),
                ioHandlerFactory);
    }
}
