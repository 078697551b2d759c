package dev.plexgate.proxy.http;

import dev.plexgate.proxy.upstream.UpstreamListener;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A websocket after its {@code 101}: the client connection and its upstream connection as a
 * plain byte relay (Plex's {@code /:/websockets/notifications}). It takes the place of
 * {@link ProxyHandler} once the HTTP codecs are gone, on the same event loop, so plain fields
 * suffice. Each side is read only while the other can take more; either side closing closes the
 * other after what is queued has been written; {@code stream_idle} without a byte either way
 * closes both.
 */
final class WebSocketRelay extends ChannelInboundHandlerAdapter implements UpstreamListener {

    private static final Logger log = LoggerFactory.getLogger(WebSocketRelay.class);

    private final Channel upstream;
    private final long idleNanos;
    private final Counter sentBytes;
    private ChannelHandlerContext ctx;
    private Deadline idle;
    private boolean clientReadPending;
    private boolean upstreamReadPending;

    WebSocketRelay(Channel upstream, long idleNanos, Counter sentBytes) {
        this.upstream = upstream;
        this.idleNanos = idleNanos;
        this.sentBytes = sentBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.idle = new Deadline(ctx.executor(), this::idled);
        idle.setIn(idleNanos);
    }

    /** Starts moving bytes: both sides are read from now on. */
    void start() {
        ctx.read();
        upstream.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (relay(msg, upstream)) {
            ctx.read();
        } else {
            clientReadPending = true;
        }
    }

    @Override
    public void upstreamRead(Object message) {
        if (message instanceof ByteBuf bytes) {
            sentBytes.increment(bytes.readableBytes());
        }
        if (relay(message, ctx.channel())) {
            upstream.read();
        } else {
            upstreamReadPending = true;
        }
    }

    /** Writes {@code message} to {@code target}; true when the source may be read again at once. */
    private boolean relay(Object message, Channel target) {
        if (!(message instanceof ByteBuf)) {
            // The upgrade request's empty end, released by a removed HTTP stage: nothing to relay.
            ReferenceCountUtil.release(message);
            return true;
        }
        if (!target.isActive()) {
            ReferenceCountUtil.release(message);
            return false;
        }
        idle.setIn(idleNanos);
        target.writeAndFlush(message);
        return target.isWritable();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && upstreamReadPending) {
            upstreamReadPending = false;
            upstream.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void upstreamWritabilityChanged() {
        if (upstream.isWritable() && clientReadPending) {
            clientReadPending = false;
            ctx.read();
        }
    }

    @Override
    public void upstreamReadComplete() {
        // Every piece was flushed as it was relayed.
    }

    @Override
    public void upstreamClosed(Throwable cause) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        idle.stop();
        upstream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("websocket client {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void idled() {
        log.info("closing websocket of {} after {} s without a byte either way", ctx.channel().remoteAddress(),
                TimeUnit.NANOSECONDS.toSeconds(idleNanos));
        ctx.close();
    }
}
