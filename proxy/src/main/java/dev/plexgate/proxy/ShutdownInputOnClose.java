package dev.plexgate.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * On io_uring, shuts a connection's input before closing it. A receive or poll that io_uring
 * still holds keeps the socket alive after its descriptor is closed, and Netty 4.2.18 can arm a
 * new poll while a close waits for a cancelled receive: the peer then never saw the connection
 * end (a {@code 414} answered with {@code Connection: close} stayed open until the client gave
 * up). {@code shutdown(SHUT_RD)} completes whatever io_uring holds, so the close goes through.
 * First in the pipeline, so that a close from any handler passes it. Client connections only:
 * closes of connections to Plex, idle or mid-response, went through without it
 * (FailureTest#clientLeavingMidBody_closesItsConnectionToPlex, UpstreamPoolTest).
 */
@ChannelHandler.Sharable
public final class ShutdownInputOnClose extends ChannelOutboundHandlerAdapter {

    private static final ShutdownInputOnClose INSTANCE = new ShutdownInputOnClose();

    private ShutdownInputOnClose() {
    }

    /** Puts it first in {@code pipeline} when the channel is io_uring's; epoll and NIO need nothing. */
    public static void addIfNeeded(ChannelPipeline pipeline) {
        if (pipeline.channel() instanceof IoUringSocketChannel) {
            pipeline.addFirst(INSTANCE);
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive() && !duplex.isInputShutdown()) {
            duplex.shutdownInput();
        }
        ctx.close(promise);
    }
}
