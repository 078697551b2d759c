package dev.plexgate.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.IntSupplier;

/**
 * Sits in the listening channel's pipeline, before Netty hands each accepted connection to an
 * event loop: one beyond {@code limits.max_connections} (or one accepted while draining) is closed
 * at once, unregistered, so it costs no pipeline. Admission runs on the single acceptor thread in
 * accept order, so with several event loops it is still the newest connection that is refused.
 */
@Sharable
public final class AdmissionHandler extends ChannelInboundHandlerAdapter {

    private final IntSupplier maxConnections;
    private final ConnectionTracker connections;

    /** @param maxConnections the cap of the config generation current when a connection arrives */
    public AdmissionHandler(IntSupplier maxConnections, ConnectionTracker connections) {
        this.maxConnections = maxConnections;
        this.connections = connections;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel accepted = (Channel) msg;
        if (!connections.admit(accepted, maxConnections.getAsInt())) {
            accepted.unsafe().closeForcibly();
            return;
        }
        ctx.fireChannelRead(accepted);
    }
}
