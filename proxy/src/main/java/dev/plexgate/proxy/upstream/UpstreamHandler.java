package dev.plexgate.proxy.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream connection: hands everything to the exchange that holds the
 * connection, or — while it idles in the pool — treats any byte as a broken connection (an idle
 * HTTP/1.1 server connection has nothing to say) and any close as removal from the pool.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private final UpstreamPool.LoopPool pool;
    private UpstreamListener listener;
    private Throwable failure;
    /** When it last went back to the pool ({@link System#nanoTime()}); meaningless while held. */
    private long idleSinceNanos;

    UpstreamHandler(UpstreamPool.LoopPool pool) {
        this.pool = pool;
    }

    void attach(UpstreamListener newListener) {
        this.listener = newListener;
    }

    void detach() {
        this.listener = null;
    }

    void idleSince(long nanos) {
        this.idleSinceNanos = nanos;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (listener != null) {
            listener.upstreamRead(msg);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.upstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.upstreamWritabilityChanged();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure = cause;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.forget(ctx.channel());
        UpstreamListener current = listener;
        listener = null;
        if (current != null) {
            current.upstreamClosed(failure);
        }
    }
}
