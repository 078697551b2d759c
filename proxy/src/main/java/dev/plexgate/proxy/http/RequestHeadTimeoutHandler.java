package dev.plexgate.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The client connection's timers between exchanges. Sits first in the pipeline, before the
 * decoder, so that it sees raw bytes arrive:
 * <ul>
 *   <li>a new connection, and a kept-alive one once its next request's first byte arrived, must
 *       deliver the whole request head within {@code requestHeader} — else {@code 408} and close
 *       (a slowloris client trickling its head holds nothing for long);</li>
 *   <li>a kept-alive connection waiting for its next request is closed after {@code keepAlive}.</li>
 * </ul>
 * While an exchange runs, {@link ProxyHandler} owns the deadlines; it calls {@link #headReceived}
 * and {@link #exchangeDone} to hand over. All on the channel's event loop: plain fields.
 */
final class RequestHeadTimeoutHandler extends ChannelDuplexHandler {

    private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private enum State { READING_HEAD, IDLE, IN_EXCHANGE }

    private final long requestHeaderNanos;
    private final long keepAliveNanos;

    private ChannelHandlerContext ctx;
    private State state = State.READING_HEAD;
    private Deadline deadline;

    RequestHeadTimeoutHandler(Duration requestHeader, Duration keepAlive) {
        this.requestHeaderNanos = requestHeader.toNanos();
        this.keepAliveNanos = keepAlive.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.deadline = new Deadline(ctx.executor(), this::expired);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.stop();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline.setIn(requestHeaderNanos);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.IDLE && msg instanceof ByteBuf) {
            state = State.READING_HEAD;
            deadline.setIn(requestHeaderNanos);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.stop();
        ctx.fireChannelInactive();
    }

    /** The request head is complete: the exchange's own deadlines take over. */
    void headReceived() {
        state = State.IN_EXCHANGE;
        deadline.clear();
    }

    /** The exchange ended and the connection stays open for the next request. */
    void exchangeDone() {
        state = State.IDLE;
        deadline.setIn(keepAliveNanos);
    }

    private void expired() {
        if (state == State.READING_HEAD) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
        } else if (state == State.IDLE) {
            ctx.close();
        }
    }
}
